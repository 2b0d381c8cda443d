"""Kaspi Pay in a real browser through the sandbox (PAY-1, PAY-6): a guest orders, sends the invoice to their phone,
pays it in the Kaspi-app stand-in and comes back to a paid order.

Needs the payment pages' forms to pass CSRF in Chromium: with `Referrer-Policy: no-referrer` (orders.order_views
.secret_page) Chromium posts `Origin: null` and Django refuses the phone form with 403; `same-origin` fixes it."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Order, OrderStatus
from payments.models import PaymentStatus
from tests import factories as f

from .steps import guest_buys

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop():
    setup = f.delivery_setup()
    teapots = f.category(slug="teapots", name_en="Teapots")
    kettle = f.product(category_=teapots, slug="kettle", name_en="White kettle", price="15990", stock=5, image=True)
    setup.kettle = kettle.variants.get()
    return setup


def place_kaspi_order(page, base):
    guest_buys(page, base, payment="kaspi")


def test_pay1_pay6_guest_pays_a_kaspi_invoice_in_the_sandbox_app_and_sees_the_order_paid(
    live_server, page, shop, screenshot
):
    base = live_server.url
    # given: a guest places an order choosing Kaspi Pay; the checkout leads to the payment page
    place_kaspi_order(page, base)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for order")
    phone = page.get_by_label("Phone number linked to Kaspi")
    expect(phone).to_have_value(re.compile(r"7011234567"))  # prefilled with the order's phone
    screenshot(page, "kaspi-phone-form")

    # when: they send the invoice to their phone
    page.get_by_role("button", name="Send the invoice to Kaspi").click()

    # then: the result page tells them to open Kaspi and pay the invoice sent to +7…
    waiting = page.locator(".payment-waiting")
    expect(waiting).to_contain_text("Open the Kaspi app and pay the invoice sent to +7 701 123 4567")
    expect(page.get_by_role("button", name="I have paid — check now")).to_be_visible()
    result_url = page.url
    order = Order.objects.get()
    assert order.payment_method == "kaspi"
    assert order.payments.get().status == PaymentStatus.PENDING
    screenshot(page, "kaspi-waiting")

    # when: they open the Kaspi-app stand-in in a new tab and press Pay
    app = page.context.new_page()
    app.goto(base + page.get_by_role("link", name="Open the Kaspi app (sandbox)").get_attribute("href"))
    invoice = app.locator(".kaspi-invoice", has_text=f"Order {order.number}")
    expect(invoice).to_be_visible()
    screenshot(app, "kaspi-sandbox-app")
    invoice.locator("button[value=pay]").click()
    expect(app.locator(".kaspi-invoice")).to_have_count(0)  # nothing left to pay for this phone
    app.close()

    # and come back and press "I have paid — check now" (the page also reloads itself when the poller sees it)
    page.bring_to_front()
    assert page.url == result_url
    page.get_by_role("button", name="I have paid — check now").click()

    # then: paid, and the order is on its way to assembly
    expect(page.locator(".payment-ok")).to_contain_text("Paid")
    screenshot(page, "kaspi-paid")
    order.refresh_from_db()
    assert order.paid_amount == order.total and order.status == OrderStatus.PAID
    assert order.payments.get().status == PaymentStatus.SUCCEEDED
