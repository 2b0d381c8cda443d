"""Storefront pages parse as valid HTML5 (html5lib in strict mode raises on any parse error)."""

import html5lib
import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/", "/catalog/", "/catalog/valid/", "/catalog/valid/?min_price=abc&sort=price_desc", "/product/valid-item/",
     "/search/?q=чайник", "/search/?q=", "/kk/", "/en/catalog/valid/", "/cart/", "/pages/delivery/"],
)
def test_pages_are_valid_html5(client, path):
    from shop.models import Page

    Page.objects.create(slug="delivery", title_ru="Доставка", body_ru="Курьер.\n\nСамовывоз.")
    cat = f.category(slug="valid")
    f.product(category_=cat, slug="valid-item", name_ru="Чайник <b>&", sale_price="100", price="200", image=True)
    response = client.get(path)
    assert response.status_code == 200
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(response.content, transport_encoding="utf-8")
    assert response.content.decode().startswith("<!DOCTYPE html>")
