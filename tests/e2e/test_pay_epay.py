"""Paying by card through Epay (Halyk Bank) in Chromium, against the Epay sandbox (PAY-6): the checkout sends the
customer to the payment page, halyk.pay() opens the bank's page stand-in, the test card decides; the result page
says paid and being assembled (ORD-7), or why it was declined with a retry that works (PAY-5)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from orders.models import Order, OrderStatus
from payments.models import PaymentStatus
from tests import factories as f
from tests.payment_doubles import COD

from .steps import guest_buys

pytestmark = pytest.mark.django_db(transaction=True)

SUCCESS_CARD = "4405 6450 0000 6150"
INSUFFICIENT_FUNDS_CARD = "4405 6450 0000 0051"


@pytest.fixture
def shop(settings):
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.epay.Epay", COD]
    setup = f.delivery_setup()
    teapots = f.category(slug="teapots", name_en="Teapots")
    f.product(category_=teapots, slug="kettle", name_en="White kettle", price="15990", stock=5, image=True)
    return setup


def checkout_with_epay(page, base):
    guest_buys(page, base, payment="epay")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for order")
    expect(page.get_by_role("button", name="Go to the bank's payment page")).to_be_visible()


def pay_on_the_bank_page(page, card, screenshot=None):
    page.get_by_role("button", name="Go to the bank's payment page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Halyk Bank")
    page.get_by_label("Card number").fill(card)
    page.get_by_label("Valid thru (MM/YY)").fill("12/30")
    page.get_by_label("CVC").fill("653")
    if screenshot:
        screenshot(page, "epay-bank-page")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()


def test_pay1_pay6_ord7_customer_pays_by_card_on_the_epay_page_and_sees_paid_being_assembled(
    live_server, page, shop, screenshot
):
    """PAY-1/PAY-6/ORD-7: checkout → Epay page stand-in, success card → "Paid … being assembled" and the mail."""
    base = live_server.url
    # given: a guest who chose Epay at checkout
    checkout_with_epay(page, base)
    screenshot(page, "epay-pay-page")

    # when: they pay on the bank's page with the success card
    pay_on_the_bank_page(page, SUCCESS_CARD, screenshot)

    # then: back on our result page, which says paid and being assembled
    expect(page.locator(".payment-ok")).to_contain_text("Paid")
    expect(page.locator(".payment-ok")).to_contain_text("being assembled")
    screenshot(page, "epay-paid")
    order = Order.objects.get()
    payment = order.payments.get()
    assert order.status == OrderStatus.PAID and order.paid_amount == order.total
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_transaction_id
    assert len([m for m in mail.outbox if m.to == ["aigerim@example.kz"] and order.number in m.subject]) >= 2


def decline_on_the_bank_page(page, base):
    checkout_with_epay(page, base)
    pay_on_the_bank_page(page, INSUFFICIENT_FUNDS_CARD)


def test_pay5_declined_card_shows_the_reason_in_plain_words_with_a_retry(live_server, page, shop, screenshot):
    """PAY-5: the bank declines the card for insufficient funds → the result page says so, with "Try again"."""
    # given: a guest on the payment page
    # when: the bank declines the card for insufficient funds
    decline_on_the_bank_page(page, live_server.url)

    # then: the result page says why, with a retry and the other methods
    declined = page.locator(".payment-declined")
    expect(declined).to_contain_text("did not go through")
    expect(declined).to_contain_text("not enough money on the card")
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    screenshot(page, "epay-declined")
    payment = Order.objects.get().payments.get()
    assert payment.status == PaymentStatus.FAILED and payment.decline_code == "470"


def test_pay5_after_a_decline_try_again_with_a_good_card_pays(live_server, page, shop):
    """PAY-5: "Try again" after a decline opens a fresh invoice on the bank's page; the good card pays it."""
    # given: a declined first attempt
    decline_on_the_bank_page(page, live_server.url)
    expect(page.locator(".payment-declined")).to_contain_text("not enough money on the card")

    # when: they try again with the success card
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for order")
    pay_on_the_bank_page(page, SUCCESS_CARD)

    # then: paid, by the second attempt
    expect(page.locator(".payment-ok")).to_contain_text("Paid")
    order = Order.objects.get()
    statuses = list(order.payments.order_by("id").values_list("status", flat=True))
    assert statuses == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]
    assert order.status == OrderStatus.PAID
