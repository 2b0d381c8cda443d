"""The page cache keys on what a page understands (issue 15, item 4; CAT-3): unknown query parameters neither
add cache entries nor change the page; equal meanings share one entry; SHOP_PAGE_CACHE=False renders cold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.page_cache import local_pages
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettles():
    category = f.category(slug="kettles", name_ru="Чайники")
    f.product(category_=category, name_ru="Чайник Арман", brand="Arman")
    f.product(category_=category, name_ru="Чайник Bosch", brand="Bosch")
    return category


@pytest.fixture
def client(client, settings):
    """A visitor who has chosen cookies: no consent banner, whose "back to" link is the address as typed."""
    client.cookies[settings.SHOP_CONSENT_COOKIE] = "necessary"
    return client


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_unknown_parameters_add_no_cache_entry_and_do_not_change_the_page(client, kettles):
    local_pages.clear()
    _count, plain = _queries(client, "/catalog/kettles/")
    entries = len(local_pages._items)
    for n in range(5):
        count, html = _queries(client, f"/catalog/kettles/?utm_source=x{n}&anything={n}")
        assert count == 0  # served from the one cached entry
        assert html == plain
        assert "utm_source" not in html and "anything" not in html
    assert len(local_pages._items) == entries


def test_unknown_parameters_do_not_change_the_page_when_rendered_cold(client, kettles, settings):
    settings.SHOP_PAGE_CACHE = False
    _count, plain = _queries(client, "/catalog/kettles/?sort=name")
    _count, noisy = _queries(client, "/catalog/kettles/?sort=name&fbclid=abc&sort2=z")
    assert noisy == plain


@pytest.mark.parametrize(
    ("first", "same"),
    [
        ("?brand=Arman&brand=Bosch", "?brand=Bosch&brand=Arman&brand=Arman"),
        ("?in_stock=on", "?in_stock=1"),
        ("", "?page=1"),
        ("", "?page=abc&in_stock=false"),
        ("?page=2", "?page=02"),
        ("?min_price=100", "?min_price=+100+&max_price="),
    ],
)
def test_parameters_with_one_meaning_share_one_entry(client, kettles, first, same):
    local_pages.clear()
    _queries(client, f"/catalog/kettles/{first}")
    count, _html = _queries(client, f"/catalog/kettles/{same}")
    assert count == 0


def test_search_keys_on_the_query_and_not_on_noise(client, kettles):
    local_pages.clear()
    _queries(client, "/search/?q=чайник")
    count, html = _queries(client, "/search/?q=+чайник+&ref=mail")
    assert count == 0 and "ref=mail" not in html


def test_the_page_cache_can_be_switched_off(client, kettles, settings):
    settings.SHOP_PAGE_CACHE = False
    _queries(client, "/catalog/kettles/")  # the category tree and the like stay cached
    again, cold = _queries(client, "/catalog/kettles/")
    third, _html = _queries(client, "/catalog/kettles/")
    assert third == again >= 1  # the product listing is read every time (its page, count and cards: one statement)
    settings.SHOP_PAGE_CACHE = True
    assert _queries(client, "/catalog/kettles/")[1] == cold
