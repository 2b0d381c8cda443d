# Issue 15 / CAT-5: "in stock first" from an indexed column. Product.stocked_variants counts the product's variants
# with stock; triggers on shop_variant keep it on every insert, stock or product change and delete, by increments
# (an UPDATE ... SET n = n + d re-reads the row it waited for, so two sales at once add up under READ COMMITTED);
# Product.in_stock is a stored generated column over it. A zero-crossing is the only stock change that writes the
# product row: selling the 5th of 9 units touches the variant alone.
#
# SQLite (make run / make test without PostgreSQL) gets the same triggers in its dialect. Caution for a later
# migration: SQLite's schema editor remakes a table to alter it (copy, drop, rename), which drops its triggers — a
# migration that alters shop_variant on SQLite must create them again (call `create_triggers`).

from django.db import migrations, models

POSTGRES = [
    # One statement-level trigger per event, reading the statement's rows from its transition tables: a checkout's
    # one UPDATE of all its variants (orders.stock.services.take_stock) makes one pass, and the products it moves
    # across zero are locked in id order first, so two checkouts sharing products never deadlock on them.
    """
    CREATE OR REPLACE FUNCTION shop_variant_count_stocked() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        ids bigint[];
        deltas integer[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg(product_id ORDER BY product_id), array_agg(n ORDER BY product_id) INTO ids, deltas
            FROM (SELECT product_id, COUNT(*) AS n FROM shop_variant_new WHERE stock > 0 GROUP BY product_id) AS d;
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(product_id ORDER BY product_id), array_agg(n ORDER BY product_id) INTO ids, deltas
            FROM (SELECT product_id, -COUNT(*) AS n FROM shop_variant_old WHERE stock > 0 GROUP BY product_id) AS d;
        ELSE
            SELECT array_agg(product_id ORDER BY product_id), array_agg(n ORDER BY product_id) INTO ids, deltas
            FROM (
                SELECT product_id, SUM(n) AS n FROM (
                    SELECT product_id, 1 AS n FROM shop_variant_new WHERE stock > 0
                    UNION ALL
                    SELECT product_id, -1 AS n FROM shop_variant_old WHERE stock > 0
                ) AS moves GROUP BY product_id HAVING SUM(n) <> 0
            ) AS d;
        END IF;
        IF ids IS NULL THEN
            RETURN NULL;  -- no variant crossed zero: the products are not written
        END IF;
        PERFORM 1 FROM shop_product WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
        UPDATE shop_product SET stocked_variants = stocked_variants + d.n
        FROM unnest(ids, deltas) AS d(product_id, n) WHERE shop_product.id = d.product_id;
        RETURN NULL;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_insert ON shop_variant",
    """
    CREATE TRIGGER shop_variant_count_stocked_insert AFTER INSERT ON shop_variant
    REFERENCING NEW TABLE AS shop_variant_new
    FOR EACH STATEMENT EXECUTE FUNCTION shop_variant_count_stocked()
    """,
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_update ON shop_variant",
    """
    CREATE TRIGGER shop_variant_count_stocked_update AFTER UPDATE ON shop_variant
    REFERENCING OLD TABLE AS shop_variant_old NEW TABLE AS shop_variant_new
    FOR EACH STATEMENT EXECUTE FUNCTION shop_variant_count_stocked()
    """,
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_delete ON shop_variant",
    """
    CREATE TRIGGER shop_variant_count_stocked_delete AFTER DELETE ON shop_variant
    REFERENCING OLD TABLE AS shop_variant_old
    FOR EACH STATEMENT EXECUTE FUNCTION shop_variant_count_stocked()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_insert ON shop_variant",
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_update ON shop_variant",
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_delete ON shop_variant",
    "DROP FUNCTION IF EXISTS shop_variant_count_stocked()",
]

SQLITE = [
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_insert",
    """
    CREATE TRIGGER shop_variant_count_stocked_insert AFTER INSERT ON shop_variant WHEN NEW.stock > 0
    BEGIN
        UPDATE shop_product SET stocked_variants = stocked_variants + 1 WHERE id = NEW.product_id;
    END
    """,
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_delete",
    """
    CREATE TRIGGER shop_variant_count_stocked_delete AFTER DELETE ON shop_variant WHEN OLD.stock > 0
    BEGIN
        UPDATE shop_product SET stocked_variants = stocked_variants - 1 WHERE id = OLD.product_id;
    END
    """,
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_update",
    """
    CREATE TRIGGER shop_variant_count_stocked_update AFTER UPDATE OF stock, product_id ON shop_variant
    WHEN (OLD.stock > 0) <> (NEW.stock > 0) OR OLD.product_id <> NEW.product_id
    BEGIN
        UPDATE shop_product SET stocked_variants = stocked_variants - 1 WHERE id = OLD.product_id AND OLD.stock > 0;
        UPDATE shop_product SET stocked_variants = stocked_variants + 1 WHERE id = NEW.product_id AND NEW.stock > 0;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_insert",
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_delete",
    "DROP TRIGGER IF EXISTS shop_variant_count_stocked_update",
]

RECOUNT = """
    UPDATE shop_product SET stocked_variants = (
        SELECT COUNT(*) FROM shop_variant WHERE shop_variant.product_id = shop_product.id AND shop_variant.stock > 0
    )
"""


def create_triggers(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(RECOUNT)  # after the triggers: nothing written meanwhile is missed
    if schema_editor.connection.vendor == "postgresql":
        # The rows' deferred foreign-key checks now, or PostgreSQL refuses the index below in this transaction
        # ("pending trigger events").
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def drop_triggers(apps, schema_editor):
    for statement in POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0009_listing_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="stocked_variants",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="variants in stock"),
        ),
        migrations.AddField(
            model_name="product",
            name="in_stock",
            field=models.GeneratedField(
                db_persist=True, expression=models.Q(("stocked_variants__gt", 0)), output_field=models.BooleanField()
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                models.F("category"),
                models.OrderBy(models.F("in_stock"), descending=True),
                models.OrderBy(models.F("created_at"), descending=True),
                models.F("id"),
                condition=models.Q(("is_active", True)),
                name="product_listing_popular",
            ),
        ),
    ]
