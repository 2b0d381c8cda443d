"""Issue 16, item 3 (LEG-3): every page's <title> names the shop once, after the page's own title."""

import html
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tests import factories as f

pytestmark = pytest.mark.django_db

SHOP = "Dala & Co"  # an ampersand: the name is escaped once, not twice


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "no <title>"
    return html.unescape(match[1])


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@override_settings(SHOP_NAME=SHOP)
def test_every_storefront_page_names_the_shop_once(client, language):
    category = f.category(slug="kettles")
    f.product(category_=category, slug="kettle", name_ru="Чайник", name_kk="Шәйнек", name_en="Kettle")
    with translation.override(language):
        pages = {
            reverse("shop:home"): None,  # the home page is the shop: its name alone
            reverse("shop:catalogue"): "Catalogue",
            reverse("shop:category", args=["kettles"]): None,
            reverse("shop:product", args=["kettle"]): None,
            reverse("shop:search") + "?q=kettle": "Search",
            reverse("orders:cart"): "Cart",
            reverse("support:contact"): "Contact us",
            reverse("account_login"): "Sign in",
            reverse("account_signup"): "Registration",
            "/" if language == "ru" else f"/{language}/no-such-page/": None,
        }
        expected_own = {path: translation.gettext(msgid) for path, msgid in pages.items() if msgid}
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        title = title_of(response)
        assert title.count(SHOP) == 1, (path, title)
        assert title.endswith(SHOP) and not title.startswith(" ·"), (path, title)
        if path in expected_own:
            assert title == f"{expected_own[path]} · {SHOP}", path
    home = next(iter(pages))
    assert title_of(client.get(home)) == SHOP  # "Dala & Co", not "Dala & Co · Dala & Co"
