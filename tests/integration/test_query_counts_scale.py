"""Issue 15, item 5 (CAT-3, CAT-5): the category, search and product pages need the same number of SQL queries
with 10 products as with 20 000 (rendered cold: the page cache is switched off)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.generated_catalogue import ROOT_SLUG, generate_catalogue

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PAGES = [
    f"/catalog/{ROOT_SLUG}/",  # the root: every generated product, through its subcategories
    f"/catalog/{ROOT_SLUG}-3/?sort=price_asc&in_stock=on&page=2",
    "/search/?q=чайник",
    "/search/?q=samsnug&sort=relevance",  # a typo
    "/search/?q=GEN-000004",  # an exact SKU
    f"/product/{ROOT_SLUG}-p4/",
]
MOST = {"catalog": 7, "search": 7, "product": 6}


def _counts(client) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        client.get(url)  # the category tree and the footer are cached per catalogue version, not per page
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_counts_are_the_same_at_10_and_20000_products(client, settings, django_assert_max_num_queries):
    settings.SHOP_PAGE_CACHE = False
    generate_catalogue(10)
    small = _counts(client)
    generate_catalogue(20_000 - 10)
    big = _counts(client)
    assert big == small
    for url, count in big.items():
        assert count <= MOST[url.split("/")[1]], (url, count)
    with django_assert_max_num_queries(MOST["search"]):
        client.get("/search/?q=фен+philips")


def test_cat5_a_category_listing_is_read_from_its_index_in_order_without_a_sort(settings):
    """CAT-5 at 20 000 products: the listing's page ids in the default order (in stock first, then newest) come
    from the partial index product_listing_popular alone, already in order — no sort, and no look for a stocked
    variant of every product (the triggers keep Product.in_stock; issue 15: the hashed subquery over every variant
    cost ~6 ms a cold category page). The product rows carry the search document and descriptions: no heap read."""
    from shop.models import Category
    from shop.selectors import category_listing

    generate_catalogue(300)
    category = Category.objects.filter(slug__startswith=f"{ROOT_SLUG}-", products__isnull=False).first()
    products = category_listing([category.pk]).order_by("-has_stock", "-created_at", "id")  # the default sort
    sql, params = products.values_list("pk", flat=True)[:24].query.sql_with_params()
    with connection.cursor() as cursor:
        # Which index the planner picks depends on statistics a test cannot set (VACUUM cannot run in its
        # transaction): the category's other indexes are dropped (rolled back with the test) and table scans
        # discouraged, so the plan shows whether product_listing_popular can answer the query (partial condition,
        # columns and order) by itself.
        cursor.execute("DROP INDEX shop_product_category_id_14d7eea8, product_category_active, product_listing_newest")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using product_listing_popular" in plan, plan
    assert "Sort" not in plan, plan
    assert "SubPlan" not in plan and "shop_variant" not in plan, plan
