"""Paying by card with CloudPayments in Chromium, through the sandbox widget (PAY-6): the shopper places an order,
the card form opens in the widget's frame, the sandbox posts signed notifications to our endpoint, and the result
page shows the outcome (PAY-1, PAY-2, PAY-5, ORD-7)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from orders.models import Order, OrderStatus
from payments.models import PaymentStatus
from tests import factories as f

from .steps import add_to_cart, fill_guest_courier_checkout

pytestmark = pytest.mark.django_db(transaction=True)

FRAME = "iframe[name=cloudpayments-sandbox]"


@pytest.fixture(autouse=True)
def card_payments(settings):
    settings.SHOP_PAYMENT_SANDBOX = True
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk_sandbox_public_id"
    settings.CLOUDPAYMENTS_API_SECRET = "sandbox-api-secret"
    settings.CLOUDPAYMENTS_API_URL = "http://payments-sandbox.invalid/payments/sandbox/cloudpayments/api"
    settings.CLOUDPAYMENTS_WIDGET_URL = "/payments/sandbox/cloudpayments/widget.js"
    settings.SHOP_PAYMENT_ADAPTERS = [
        "payments.adapters.cloudpayments.CloudPayments",
        "payments.adapters.cod.CashOnDelivery",
    ]


def pay_url(order) -> str:
    with translation.override("en"):
        return reverse("payments:pay", kwargs={"token": order.access_token})


def pay_with_card(page, number, *, expiry="12/39", cvc="123"):
    """Open the widget from our page and pay with `number` in the sandbox card form (keyboard: Enter submits)."""
    page.get_by_role("button", name="Pay by card").click()
    form = page.frame_locator(FRAME)
    form.get_by_label("Card number").fill(number)
    form.get_by_label("Expiry (MM/YY)").fill(expiry)
    form.get_by_label("CVC", exact=True).fill(cvc)
    form.get_by_label("CVC", exact=True).press("Enter")
    return form


def test_pay1_pay2_ord7_shopper_pays_by_card_at_checkout_and_sees_paid_being_assembled(live_server, page, screenshot):
    """PAY-1/PAY-2/ORD-7: checkout with "Bank card" → our payment page → the sandbox widget takes the card (never
    our page) → the result page says paid and being assembled; the order is paid."""
    base = live_server.url
    # given: a guest with a kettle in the cart at checkout
    f.delivery_setup()
    teapots = f.category(slug="teapots", name_en="Teapots")
    f.product(category_=teapots, slug="kettle", name_en="White kettle", price="15990", stock=5)
    add_to_cart(page, base, "kettle")
    page.goto(base + "/en/checkout/")
    fill_guest_courier_checkout(page, payment="cloudpayments")
    page.get_by_role("button", name="Confirm order").click()

    # when: the payment page offers the card widget; the card is typed into the sandbox frame
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for order")
    assert page.locator("input[autocomplete=cc-number]").count() == 0  # PAY-2: no card field on our page
    screenshot(page, "cloudpayments-pay-page")
    form = page.frame_locator(FRAME)
    page.get_by_role("button", name="Pay by card").click()
    expect(form.get_by_text("4242 4242 4242 4242")).to_be_visible()
    screenshot(page, "cloudpayments-widget")
    pay_with_card_in_open_widget(form, "4242 4242 4242 4242")

    # then: the result page says paid and being assembled
    expect(page).to_have_url(re.compile(r"/payments/o/[\w-]+/result/"))
    expect(page.locator(".payment-ok")).to_contain_text("being assembled")
    screenshot(page, "cloudpayments-paid")
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID and order.paid_amount == order.total == Decimal("17490.00")
    assert order.payments.get().status == PaymentStatus.SUCCEEDED


def pay_with_card_in_open_widget(form, number):
    form.get_by_label("Card number").fill(number)
    form.get_by_label("Expiry (MM/YY)").fill("12/39")
    form.get_by_label("CVC", exact=True).fill("123")
    form.get_by_role("button", name=re.compile(r"^Pay ")).click()


def decline_with_insufficient_funds(page, base, order):
    page.goto(base + pay_url(order))
    pay_with_card(page, "4000 0000 0000 5051")
    expect(page).to_have_url(re.compile(r"/result/"))


def test_pay5_insufficient_funds_shows_the_plain_reason_and_paying_again_with_a_good_card_succeeds(
    live_server, page, screenshot
):
    """PAY-5: the 5051 test card is declined: the result page says "not enough money" in plain words with
    "Try again" and another method; paying again (the order's payment page) with the good card pays the order."""
    base = live_server.url
    # given: a placed order waiting for a card payment
    order = f.placed_order(payment_method="cloudpayments", language="en")
    # when: the card has too little money
    decline_with_insufficient_funds(page, base, order)
    # then: the decline in plain words, with a retry and another method
    declined = page.locator(".payment-declined")
    expect(declined).to_contain_text("does not have enough money")
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.get_by_text("Choose another payment method")).to_be_visible()
    screenshot(page, "cloudpayments-declined")
    # when: they open the payment page again and use the good card (a new attempt, a new invoice)
    page.goto(base + pay_url(order))
    pay_with_card(page, "4242 4242 4242 4242")
    # then
    expect(page.locator(".payment-ok")).to_contain_text("being assembled")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert [p.status for p in order.payments.order_by("id")] == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]


def test_pay5_try_again_button_after_a_decline_opens_the_card_widget_and_a_good_card_pays(live_server, page):
    """PAY-5: after a decline, the "Try again" button starts a new attempt and a good card pays the order."""
    base = live_server.url
    order = f.placed_order(payment_method="cloudpayments", language="en")
    decline_with_insufficient_funds(page, base, order)
    page.get_by_role("button", name="Try again").click()
    pay_with_card(page, "4242 4242 4242 4242")
    expect(page.locator(".payment-ok")).to_contain_text("being assembled", timeout=5_000)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_pay6_three_d_secure_card_confirms_on_the_bank_page_and_pays(live_server, page, screenshot):
    """PAY-6: the 3-D Secure test card shows the bank's page inside the widget; Confirm pays the order."""
    base = live_server.url
    order = f.placed_order(payment_method="cloudpayments", language="en")
    page.goto(base + pay_url(order))
    form = pay_with_card(page, "4000 0000 0000 3220")
    expect(form.get_by_role("heading", name="3-D Secure confirmation")).to_be_visible()
    screenshot(page, "cloudpayments-3ds")
    form.get_by_role("button", name="Confirm").click()
    expect(page.locator(".payment-ok")).to_contain_text("being assembled")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_pay5_closing_the_widget_keeps_the_shopper_on_the_page_with_the_button_back(live_server, page):
    """PAY-5: Cancel in the widget (or Escape) closes it; nothing is paid, and "Pay by card" works again."""
    base = live_server.url
    order = f.placed_order(payment_method="cloudpayments", language="en")
    page.goto(base + pay_url(order))
    page.get_by_role("button", name="Pay by card").click()
    page.frame_locator(FRAME).get_by_role("button", name="Cancel").click()
    expect(page.locator(FRAME)).to_have_count(0)
    button = page.get_by_role("button", name="Pay by card")
    expect(button).to_be_enabled()
    expect(button).to_be_focused()
    assert Order.objects.get(pk=order.pk).paid_amount == 0
