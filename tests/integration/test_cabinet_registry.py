"""The cabinet's registries (ACC-3): the sections other apps contribute through SHOP_CABINET_SECTIONS and the
parts of the "my data" export they contribute through SHOP_PERSONAL_DATA_PARTS. accounts imports none of them;
switching an app's entry off in the settings takes it out of the navigation, the overview and the export."""

import importlib
import json
import re
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils import translation

import accounts.urls
from accounts.selectors import personal_data_export
from tests import factories as f

pytestmark = pytest.mark.django_db

ORDERS = "orders.cabinet.section"
RETURNS = "returns.cabinet.section"
BONUSES = "loyalty.cabinet.section"
WISHLIST = "tests.cabinet_sections.wishlist"
NAV = re.compile(r'<nav class="cabinet-nav".*?</nav>', re.S)
NAV_LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')
TILES = re.compile(r'<ul class="cabinet-tiles">.*?</ul>', re.S)
TILE = re.compile(r'<a href="([^"]+)"><span class="tile-title">([^<]+)</span>')


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


def _reload_urls():
    """The URL map reads the sections when it is loaded, as at start-up; load it again for the current settings."""
    importlib.reload(accounts.urls)
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@contextmanager
def cabinet_sections(*paths):
    try:
        with override_settings(SHOP_CABINET_SECTIONS=list(paths)):
            _reload_urls()
            yield
    finally:
        _reload_urls()


def navigation(html: str) -> list[tuple[str, str]]:
    """(href, label) of each entry of the cabinet's sub-navigation, in order."""
    return NAV_LINK.findall(NAV.search(html).group(0))


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="aigerim@example.kz", password="pw-123456")


@pytest.fixture
def signed_in(customer):
    client = Client()
    client.force_login(customer)
    return client


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Overview", "My orders", "Returns and claims", "Bonus account", "Profile", "Addresses", "My data"]),
        ("ru", ["Обзор", "Мои заказы", "Возвраты и претензии", "Бонусный счёт", "Профиль", "Адреса", "Мои данные"]),
    ],
)
def test_acc3_the_cabinet_shows_every_section_in_order(signed_in, language, labels):
    # when
    html = signed_in.get(url("accounts:overview", language)).content.decode()
    # then
    names = ["overview", "orders", "returns", "bonuses", "profile", "addresses", "data"]
    assert navigation(html) == [
        (url(f"accounts:{name}", language), label) for name, label in zip(names, labels, strict=True)
    ]
    assert TILE.findall(TILES.search(html).group(0)) == navigation(html)[1:]  # a tile for each but the overview


def test_acc3_a_section_switched_off_in_the_settings_leaves_the_navigation_and_the_overview(signed_in):
    # given: the loyalty app's section is not listed
    with cabinet_sections(ORDERS, RETURNS):
        # when
        html = signed_in.get(url("accounts:overview")).content.decode()
        # then
        assert "Bonus account" not in html
        assert [label for _, label in navigation(html)] == [
            "Overview",
            "My orders",
            "Returns and claims",
            "Profile",
            "Addresses",
            "My data",
        ]
        assert "/cabinet/bonuses/" not in html
        assert signed_in.get("/en/cabinet/bonuses/").status_code == 404
        with pytest.raises(NoReverseMatch):
            reverse("accounts:bonuses")
        # the others still work
        assert signed_in.get(url("accounts:returns")).status_code == 200
    # and back on, it is there again
    html = signed_in.get(url("accounts:overview")).content.decode()
    assert ("/en/cabinet/bonuses/", "Bonus account") in navigation(html)


def test_acc3_a_further_apps_section_appears_at_its_position_with_its_page(signed_in):
    # given: a section none of the shop's apps knows, added in the settings
    with cabinet_sections(ORDERS, RETURNS, BONUSES, WISHLIST):
        # when
        overview = signed_in.get(url("accounts:overview")).content.decode()
        page = signed_in.get("/en/cabinet/wishlist/")
        # then
        assert [label for _, label in navigation(overview)] == [
            "Overview",
            "My orders",
            "Returns and claims",
            "Bonus account",
            "Wish list",
            "Profile",
            "Addresses",
            "My data",
        ]
        assert "Goods you saved for later." in TILES.search(overview).group(0)
        assert page.status_code == 200
        assert "Nothing wished for yet." in page.content.decode()
        assert '<a href="/en/cabinet/wishlist/" aria-current="page">Wish list</a>' in page.content.decode()
        assert "no-store" in page["Cache-Control"]
        # the cabinet's guard applies to it too
        anonymous = Client().get("/en/cabinet/wishlist/")
        assert anonymous.status_code == 302
    assert signed_in.get("/en/cabinet/wishlist/").status_code == 404


def test_acc3_sections_of_an_app_cannot_reuse_a_key(signed_in):
    with pytest.raises(ImproperlyConfigured, match="share a key"), cabinet_sections(ORDERS, ORDERS):
        pass


# --- The "my data" export's parts --------------------------------------------------------------------------------


def _export(client) -> dict:
    response = client.post(url("accounts:data"))
    assert response.status_code == 200
    return json.loads(response.content)


ACCOUNTS_KEYS = [
    "format_version",
    "exported_at",
    "profile",
    "email_addresses",
    "addresses",
    "terms_acceptances",
    "support_tickets",
]


def test_acc3_export_carries_the_orders_part_after_accounts_own(signed_in, customer):
    # given
    order = f.placed_order(user=customer, email=customer.email)
    # when
    data = _export(signed_in)
    # then
    assert list(data) == [*ACCOUNTS_KEYS, "orders", "bonuses"]  # issue 14: loyalty's part after orders'
    assert [o["number"] for o in data["orders"]] == [order.number]


@override_settings(SHOP_PERSONAL_DATA_PARTS=[])
def test_acc3_export_has_no_orders_when_the_orders_part_is_not_registered(signed_in, customer):
    # given
    f.placed_order(user=customer, email=customer.email)
    # when
    data = _export(signed_in)
    # then
    assert list(data) == ACCOUNTS_KEYS


@override_settings(SHOP_PERSONAL_DATA_PARTS=["orders.cabinet.personal_data", "tests.cabinet_sections.wishes"])
def test_acc3_export_parts_come_in_the_settings_order_each_for_the_requester_only(signed_in, customer):
    # given: another customer with an order
    other = type(customer).objects.create_user(email="bolat@example.kz", password="pw-123456")
    theirs = f.placed_order(user=other, email=other.email, address="Secret street 7")
    # when
    response = signed_in.post(url("accounts:data"))
    data = json.loads(response.content)
    # then
    assert list(data) == [*ACCOUNTS_KEYS, "orders", "wishes"]
    assert data["orders"] == []
    assert data["wishes"] == [{"owner": customer.email}]
    body = response.content.decode()
    for secret in (other.email, theirs.number, "Secret street 7"):
        assert secret not in body


@override_settings(SHOP_PERSONAL_DATA_PARTS=["tests.cabinet_sections.wishes", "tests.cabinet_sections.wishes"])
def test_acc3_export_refuses_two_parts_writing_one_key(customer):
    with pytest.raises(ImproperlyConfigured, match="'wishes' key again"):
        personal_data_export(customer)
