"""Storefront pages parse as valid HTML5 (html5lib in strict mode raises on any parse error) and pass the Nu Html
Checker (vnu.jar: attribute values, ARIA, forms — what html5lib does not look at; issue 16, item 9)."""

import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests import factories as f
from tests.nu_checker import nu_errors, require_java

pytestmark = pytest.mark.django_db


STOREFRONT = [
    "/", "/catalog/", "/catalog/valid/", "/catalog/valid/?min_price=abc&sort=price_desc", "/product/valid-item/",
    "/search/?q=чайник", "/search/?q=", "/kk/", "/en/catalog/valid/", "/cart/", "/pages/delivery/",
]


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


def test_payment_pages_are_valid_html5(client):
    """PAY-1/PAY-5: each method's payment step and every state of the result page parse as strict HTML5."""
    from payments import services

    setup = f.delivery_setup()
    paths = []
    for method in ("cloudpayments", "epay", "kaspi"):
        order = f.placed_order(setup, payment_method=method)
        paths.append(f"/payments/o/{order.access_token}/")
    declined = f.placed_order(setup, payment_method="cloudpayments")
    services.record_decline(payment=services.current_attempt(order=declined), reason_code="5051", message="No money.")
    waiting = f.placed_order(setup, payment_method="kaspi")
    services.mark_pending(services.current_attempt(order=waiting, phone="+77011234567", new=True))
    paid = f.placed_order(setup, payment_method="epay")
    attempt = services.current_attempt(order=paid)
    services.record_success(payment=attempt, amount=attempt.amount, currency="KZT", transaction_id="HTML")
    paths += [f"/payments/o/{o.access_token}/result/" for o in (declined, waiting, paid)]
    paths += [paid.get_absolute_url(), declined.get_absolute_url()]  # the order page with and without "Pay now"
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")


def test_pages_pass_the_nu_html_checker():
    """One Java run over the storefront, cart, checkout, order, cabinet, sign-up and error pages (issue 16: the cart
    count's aria-label, empty form actions, a one-line street-address field, microseconds in <time datetime>)."""
    require_java()
    from shop.models import Page

    Page.objects.create(slug="delivery", title_ru="Доставка", body_ru="Курьер.\n\nСамовывоз.")
    cat = f.category(slug="valid")
    item = f.product(category_=cat, slug="valid-item", name_ru="Чайник <b>&", sale_price="100", price="200", image=True)
    guest = Client(HTTP_ORIGIN="http://testserver")
    pages = {path: guest.get(path).content for path in STOREFRONT}
    assert guest.post("/cart/add/", {"variant": item.variants.get().pk, "quantity": "1"}).status_code == 302
    setup = f.delivery_setup()
    for path in ("/cart/", "/en/cart/", "/checkout/", "/kk/checkout/", "/no-such-page/", "/en/no-such-page/",
                 "/accounts/signup/", "/accounts/login/", "/contact/", "/orders/find/", "/cookie-settings/"):
        pages[f"with a cart: {path}"] = guest.get(path).content
    customer = get_user_model().objects.create_user(email="nu@example.kz", password="x")
    order = f.placed_order(setup, user=customer)
    signed_in = Client()
    signed_in.force_login(customer)
    for path in ("/cabinet/", "/cabinet/orders/", "/cabinet/profile/", "/cabinet/addresses/add/",
                 order.get_absolute_url()):
        pages[f"signed in: {path}"] = signed_in.get(path).content
    assert nu_errors(pages) == {}
