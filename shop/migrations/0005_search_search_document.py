"""Issue 15 (CAT-5): a stored search document per product, the lexicon of name and brand words for typo
tolerance, their indexes (GIN on PostgreSQL; nothing on SQLite, whose fallback search needs none), and the
documents of the products that exist already."""

import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

POSTGRES_ONLY = [
    "CREATE INDEX shop_product_search_document_gin ON shop_product USING gin (search_document)",
    "CREATE INDEX shop_searchword_word_trgm ON shop_searchword USING gin (word gin_trgm_ops)",
    "CREATE INDEX shop_searchword_word_prefix ON shop_searchword (word varchar_pattern_ops)",
    # The same statements as shop.search.refresh_search_documents(), for every product (frozen here).
    """UPDATE shop_product p SET search_document =
    setweight(to_tsvector('russian', coalesce(p.name_ru, '')), 'A')
    || setweight(to_tsvector('english', coalesce(p.name_en, '')), 'A')
    || setweight(to_tsvector('simple', regexp_replace(concat_ws(' ', p.name_kk, p.name_ru, p.name_en, p.brand,
         (SELECT string_agg(v.sku || ' ' || replace(v.sku, '-', ''), ' ') FROM shop_variant v
          WHERE v.product_id = p.id)), '[^[:alnum:]]+', ' ', 'g')), 'A')
    || setweight(to_tsvector('russian', coalesce(p.description_ru, '')), 'C')
    || setweight(to_tsvector('english', coalesce(p.description_en, '')), 'C')
    || setweight(to_tsvector('simple', coalesce(p.description_kk, '')), 'C')""",
    """INSERT INTO shop_searchword (word)
    SELECT DISTINCT w FROM shop_product p,
        regexp_split_to_table(lower(concat_ws(' ', p.name_ru, p.name_kk, p.name_en, p.brand)), '[^[:alnum:]]+') w
    WHERE length(w) BETWEEN 3 AND 100
    ON CONFLICT (word) DO NOTHING""",
]
POSTGRES_ONLY_REVERSE = [
    "DROP INDEX IF EXISTS shop_product_search_document_gin",
    "DROP INDEX IF EXISTS shop_searchword_word_trgm",
    "DROP INDEX IF EXISTS shop_searchword_word_prefix",
]


def _on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: no extension, no index, no document (the fallback search reads the columns)
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0004_demo_seller_details'),
    ]

    operations = [
        TrigramExtension(),  # a no-op on SQLite
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.CharField(max_length=100, primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'search word',
                'verbose_name_plural': 'search words',
            },
        ),
        migrations.AddField(
            model_name='product',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_on_postgres(POSTGRES_ONLY), _on_postgres(POSTGRES_ONLY_REVERSE)),
    ]
