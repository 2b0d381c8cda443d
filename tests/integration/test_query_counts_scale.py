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
