"""A large made-up catalogue written in bulk (issue 15): the 20 000-product query-count test and
`BENCH_PRODUCTS=20000 make bench` (`manage.py generate_catalogue`). Plausible names in ru/kk/en with brands and
SKUs, so search has real words to find; no pictures (cards show their placeholder)."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from .catalogue_version import bump_catalogue_version
from .models import Category, Product, Variant
from .search import refresh_search_documents

ROOT_SLUG = "generated"
KINDS = [  # (ru, kk, en)
    ("Чайник", "Шәйнек", "Kettle"), ("Пылесос", "Шаңсорғыш", "Vacuum cleaner"), ("Смартфон", "Смартфон", "Smartphone"),
    ("Утюг", "Үтік", "Iron"), ("Телевизор", "Теледидар", "TV set"), ("Холодильник", "Тоңазытқыш", "Fridge"),
    ("Блендер", "Блендер", "Blender"), ("Наушники", "Құлаққап", "Headphones"), ("Ноутбук", "Ноутбук", "Laptop"),
    ("Фен", "Шаш кептіргіш", "Hair dryer"),
]  # fmt: skip
BRANDS = ["Bosch", "Samsung", "Philips", "Tefal", "Xiaomi", "Arman", "Redmond", "Braun", "LG", "Sony"]
ADJECTIVES = [  # (ru, kk, en)
    ("компактный", "ықшам", "compact"), ("мощный", "қуатты", "powerful"), ("тихий", "тыныш", "quiet"),
    ("дорожный", "жол", "travel"), ("умный", "ақылды", "smart"),
]  # fmt: skip
CATEGORIES = 10  # one per kind, under one root


@transaction.atomic
def generate_catalogue(count: int, *, batch: int = 5000) -> list[int]:
    """Add `count` active products (one SKU each; every fifth on sale, every tenth sold out) under the
    "generated" root category; their search documents are built in batches. Returns the new products' ids."""
    root, _created = Category.objects.get_or_create(
        slug=ROOT_SLUG, defaults={"name": "Generated", "name_ru": "Сгенерированные", "name_kk": "Жасалған",
                                  "name_en": "Generated", "position": 999},
    )  # fmt: skip
    category_ids = []
    for position, (ru, kk, en) in enumerate(KINDS):
        category, _created = Category.objects.get_or_create(
            slug=f"{ROOT_SLUG}-{position}",
            defaults={"parent": root, "name": ru, "name_ru": ru, "name_kk": kk, "name_en": en, "position": position},
        )
        category_ids.append(category.pk)
    first = Product.objects.filter(slug__startswith=f"{ROOT_SLUG}-p").count()
    numbers = range(first, first + count)
    ids = insert_rows(Product, [_product(n, category_ids) for n in numbers])
    insert_rows(Variant, [_variant(n, product_id) for n, product_id in zip(numbers, ids, strict=True)])
    for offset in range(0, len(ids), batch):
        refresh_search_documents(ids[offset : offset + batch])  # no post_save from SQL: the documents here
    with connection.cursor() as cursor:  # fresh statistics, or the planner guesses from the empty tables
        cursor.execute("ANALYZE shop_product, shop_variant, shop_searchword")
    bump_catalogue_version()
    transaction.on_commit(bump_catalogue_version)
    return ids


def insert_rows(model, rows: list[dict]) -> list[int]:
    """One `INSERT ... SELECT FROM unnest(<one array per column>)` for all rows (the ORM's bulk_create spends
    ten times as long building its statement); columns the rows leave out get the field's default."""
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    given = [f for f in fields if f.attname in rows[0]]
    defaults = [f for f in fields if f.attname not in rows[0]]  # get_default(): "" for text, else None
    columns = [f.column for f in given + defaults]
    arrays = [[f.get_db_prep_save(row[f.attname], connection) for row in rows] for f in given]
    constants = [f.get_db_prep_save(f.get_default(), connection) for f in defaults]
    casts = [f"%s::{f.db_type(connection)}[]" for f in given]
    selects = [f"c{i}" for i in range(len(given))] + [f"%s::{f.db_type(connection)}" for f in defaults]
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 — names from the model's meta
        f"SELECT {', '.join(selects)} FROM unnest({', '.join(casts)}) "
        f"AS t({', '.join(f'c{i}' for i in range(len(given)))}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants, *arrays])  # the SELECT list comes before FROM unnest(...)
        return [row[0] for row in cursor.fetchall()]


def _product(n: int, category_ids: list[int]) -> dict:
    kind = n % len(KINDS)
    ru, kk, en = KINDS[kind]
    adj_ru, adj_kk, adj_en = ADJECTIVES[(n * 3) % len(ADJECTIVES)]
    brand = BRANDS[(n * 7 + n // 10) % len(BRANDS)]
    model = f"{brand[:2].upper()}{n:06d}"
    now = timezone.now() - timedelta(seconds=n)
    return {
        "category_id": category_ids[kind],
        "slug": f"{ROOT_SLUG}-p{n}",
        "brand": brand,
        "name": f"{ru} {brand} {model}",
        "name_ru": f"{ru} {brand} {model}",
        "name_kk": f"{kk} {brand} {model}",
        "name_en": f"{en} {brand} {model}",
        "description": f"{adj_ru.capitalize()} {ru.lower()} {brand}: надёжный помощник дома.",
        "description_ru": f"{adj_ru.capitalize()} {ru.lower()} {brand}: надёжный помощник дома.",
        "description_kk": f"{adj_kk.capitalize()} {kk.lower()} {brand}: үйдегі сенімді көмекші.",
        "description_en": f"A {adj_en} {en.lower()} by {brand}: a reliable helper at home.",
        "is_active": True,
        "non_returnable_note": "",
        "non_returnable_note_ru": "",
        "non_returnable_note_kk": "",
        "non_returnable_note_en": "",
        "created_at": now,
        "updated_at": now,
    }


def _variant(n: int, product_id: int) -> dict:
    price = Decimal(2000 + (n * 7919) % 49800 * 10)
    return {
        "product_id": product_id,
        "sku": f"GEN-{n:06d}",
        "name": "",
        "name_ru": "",
        "name_kk": "",
        "name_en": "",
        "price": price,
        "sale_price": (price * Decimal("0.8")).quantize(Decimal("1")) if n % 5 == 0 else None,
        "stock": 0 if n % 10 == 3 else 1 + (n * 31) % 199,
        "position": 0,
    }
