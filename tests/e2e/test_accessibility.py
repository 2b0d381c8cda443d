"""WCAG 2.1 AA checks with axe-core in Chromium on the storefront pages, desktop and phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def shop_pages():
    cat = f.category(slug="kettles", name_ru="Чайники")
    f.product(category_=cat, slug="kettle", name_ru="Чайник", price="15990", sale_price="12990", image=True)
    f.product(category_=cat, name_ru="Чайник без наличия", stock=0, image=True)
    f.product(category_=f.category(slug="care", returnable=False, non_returnable_reason="hygiene"), slug="brush")
    return ["/", "/catalog/", "/catalog/kettles/", "/catalog/kettles/?min_price=x", "/product/kettle/",
            "/product/brush/", "/search/?q=чайник", "/kk/catalog/kettles/", "/en/product/kettle/", "/cart/"]


def _violations(tab):
    # a live update (checkout.js fetching the delivery quote) dims its parts for a moment: judge the settled page
    # (a locator, not wait_for_function: the Content-Security-Policy forbids the eval that one needs)
    expect(tab.locator('[aria-busy="true"]')).to_have_count(0)
    results = Axe().run(tab, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def test_storefront_pages_have_no_wcag_aa_violations(live_server, page, shop_pages):
    for path in shop_pages:
        page.goto(live_server.url + path)
        assert _violations(page) == [], path


def test_storefront_pages_have_no_wcag_aa_violations_on_a_phone(live_server, phone, shop_pages):
    for path in shop_pages[:5]:
        phone.goto(live_server.url + path)
        assert _violations(phone) == [], path


def test_keyboard_user_can_skip_to_content_and_sees_focus(live_server, page, shop_pages):
    page.goto(live_server.url + "/catalog/kettles/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["x"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_ord2_ord5_checkout_and_order_pages_have_no_wcag_aa_violations(live_server, page, phone):
    """ORD-2/ORD-5: the checkout (with and without a city chosen, and with errors shown), the order page, "find my
    order" and the cabinet's order list pass axe WCAG 2.1 AA, on desktop and on a phone."""
    setup = f.delivery_setup()
    variant = f.product(slug="teapot", name_en="Teapot", price="25000", stock=5, image=True).variants.get()
    order = f.placed_order(setup)
    for tab in (page, phone):
        tab.goto(live_server.url + "/en/product/teapot/")
        tab.get_by_role("button", name="Add to cart").first.click()
        for path in ("/en/checkout/", f"/en/checkout/?city={setup.city.pk}&method=pickup", "/checkout/"):
            tab.goto(live_server.url + path)
            assert _violations(tab) == [], path
        tab.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
        tab.get_by_role("button", name="Подтвердить заказ").click()  # nothing filled in: the server's errors
        assert tab.locator(".errorlist").count() > 0
        assert _violations(tab) == [], "checkout with errors"
        for path in (order.get_absolute_url(), "/en/orders/find/"):
            tab.goto(live_server.url + path)
            assert _violations(tab) == [], path
    assert variant.stock == 5


def test_pay1_pay5_payment_pages_have_no_wcag_aa_violations(live_server, page, phone):
    """PAY-1/PAY-5: each method's payment step (card widget button, bank page button, Kaspi phone form) and the
    result page (declined with the reason, waiting for Kaspi, paid) pass axe WCAG 2.1 AA, desktop and phone."""
    from payments import services

    setup = f.delivery_setup()
    pages = []
    for method in ("cloudpayments", "epay", "kaspi"):
        order = f.placed_order(setup, payment_method=method)
        pages.append(f"/en/payments/o/{order.access_token}/")
    declined = f.placed_order(setup, payment_method="cloudpayments")
    attempt = services.current_attempt(order=declined)
    services.record_decline(payment=attempt, reason_code="5051", message="Insufficient funds on the card.")
    waiting = f.placed_order(setup, payment_method="kaspi")
    services.mark_pending(services.current_attempt(order=waiting, phone="+77011234567", new=True))
    paid = f.placed_order(setup, payment_method="epay")
    attempt = services.current_attempt(order=paid)
    services.record_success(payment=attempt, amount=attempt.amount, currency="KZT", transaction_id="A11Y")
    pages += [f"/en/payments/o/{o.access_token}/result/" for o in (declined, waiting, paid)]
    for tab in (page, phone):
        for path in pages:
            tab.goto(live_server.url + path)
            assert _violations(tab) == [], path
