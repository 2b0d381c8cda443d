"""The loyalty journey of issue 14 in Chromium: a customer joins with the code the console SMS backend printed
(LOY-1), buys with cash on delivery, support marks it shipped, paid and delivered in the admin, the accrual sweep
runs "as of" 7 days later (LOY-6), the cabinet shows the balance (LOY-10), and the next order is paid partly
with bonuses (LOY-8, CPN-2)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from loyalty import services
from loyalty.models import BonusAccount
from loyalty.sms import ConsoleSMSBackend
from orders.models import Order, OrderStatus
from tests import factories as f
from tests.loyalty_helpers import clear_otp_limits, ensure_tiers

from .steps import add_to_cart, choose_city
from .test_accessibility import _violations
from .test_order_journeys import PASSWORD, customer, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(settings):
    settings.SHOP_SMS_BACKEND = "loyalty.sms.ConsoleSMSBackend"
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.cod.CashOnDelivery"]
    ConsoleSMSBackend.outbox.clear()
    clear_otp_limits()
    ensure_tiers()
    setup = f.delivery_setup()
    teapots = f.category(slug="teapots", name_en="Teapots")
    f.product(category_=teapots, slug="kettle", name_en="White kettle", price="15990", stock=5, image=True)
    f.product(category_=teapots, slug="cups", name_en="Cup set", price="7500", stock=8, image=True)
    return setup


def courier_checkout(page, base):
    page.goto(base + "/en/checkout/")
    page.get_by_label("Phone").fill("+7 701 555 44 33")
    choose_city(page, "Almaty")
    page.locator("label[for=delivery-courier]").click()
    page.get_by_label("Delivery address").fill("Abay avenue 10, flat 5")
    page.locator("label[for=payment-cod]").click()


def test_loy1_loy6_loy8_loy10_join_buy_accrue_and_pay_with_bonuses(live_server, browser, page, shop, screenshot):
    base = live_server.url
    customer("dana@example.kz", "Dana Nurlan")
    sign_in(page, base, "dana@example.kz")

    # when: Dana joins with the code from the SMS (the console backend)
    page.goto(base + "/en/cabinet/bonuses/")
    page.get_by_role("textbox", name=re.compile("Mobile phone")).fill("8 701 555 44 33")
    page.get_by_role("button", name="Send the code").click()
    code = re.search(r"\b(\d{6})\b", ConsoleSMSBackend.outbox[-1][1]).group(1)
    page.get_by_role("textbox", name=re.compile("Code from the SMS")).fill(code)
    screenshot(page, "loyalty-join-code")
    page.get_by_role("button", name="Confirm and join").click()
    expect(page.locator(".messages")).to_contain_text("Welcome to the loyalty programme")
    account = BonusAccount.objects.get(user__email="dana@example.kz")
    assert account.phone == "+77015554433"

    # and buys a kettle (15 990) by courier, cash on delivery
    add_to_cart(page, base, "kettle")
    courier_checkout(page, base)
    page.locator("#id_terms").check()
    page.get_by_role("button", name="Confirm order").click()
    expect(page.locator(".messages")).to_contain_text("placed")
    order = Order.objects.get()

    # and support ships it, takes the cash and marks it delivered in the admin
    customer("agent@example.kz", "Support Agent", staff_group="Support")
    staff = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(base + "/en/admin/login/")
    staff.get_by_label(re.compile("E-mail", re.I)).fill("agent@example.kz")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name=re.compile("Log in", re.I)).click()
    staff.goto(base + "/en/admin/orders/order/")
    staff.get_by_role("link", name=order.number).click()
    staff.get_by_role("button", name="Confirm order").click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.get_by_role("button", name="Mark being assembled").click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.get_by_role("link", name=re.compile("Mark shipped")).click()
    staff.get_by_label(re.compile("Tracking number", re.I)).first.fill("CDEK-1234567890")
    staff.get_by_role("button", name=re.compile("Mark shipped|Ship|Confirm|Save", re.I)).first.click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.get_by_role("button", name="Mark cash on delivery paid").click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.get_by_role("button", name="Mark delivered").click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.context.close()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.paid_at is not None

    # then: pending in the cabinet; the accrual sweep "as of" 7 days later puts 3 % (479) on the balance
    page.goto(base + "/en/cabinet/bonuses/")
    expect(page.locator("main")).to_contain_text(f"About 479 for order {order.number}")
    as_of = (max(order.paid_at, order.delivered_at) + timedelta(days=7, minutes=1)).isoformat()
    call_command("loyalty_sweep", "accrue", "--as-of", as_of)
    page.goto(base + "/en/cabinet/bonuses/")
    expect(page.locator("[data-bonus-balance]")).to_contain_text("479")
    screenshot(page, "loyalty-cabinet")

    # when: the next order (cups, 7 500) is paid partly with bonuses: 3 % of 7 500 = 225
    add_to_cart(page, base, "cups")
    courier_checkout(page, base)
    expect(page.locator("[data-checkout-bonuses]")).to_contain_text("Bonuses may pay up to 225 ₸ of this cart.")
    page.get_by_role("button", name="Pay 225 with bonuses").click()
    expect(page.locator(".checkout-summary")).to_contain_text("Bonuses (225)")
    screenshot(page, "loyalty-checkout-bonuses")
    page.locator("#id_terms").check()
    page.get_by_role("button", name="Confirm order").click()
    expect(page.locator(".messages")).to_contain_text("placed")

    # then
    second = Order.objects.exclude(pk=order.pk).get()
    assert second.discount_kind == "bonuses" and second.discount_total == Decimal("225.00")
    account.refresh_from_db()
    assert account.balance == 479 - 225


def test_loy1_loy10_bonus_pages_pass_axe_on_desktop_and_phone(live_server, browser, page, phone, shop, screenshot):
    """The join page (with the code form), the member's Bonus account page and the checkout with bonuses pass axe
    WCAG 2.1 AA on desktop and on a 390 px phone."""
    base = live_server.url
    customer("joiner@example.kz", "Joiner")
    customer("member@example.kz", "Member")
    holder = services.join(user=get_user_model().objects.get(email="member@example.kz"), phone="+77017776655")
    services.grant_promotion(account_ids=[holder.pk], amount=800, expires_at=None, reason="Nauryz", key="axe")
    small = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    for tab in (page, small):
        tab.context.clear_cookies()
        sign_in(tab, base, "joiner@example.kz")
        tab.goto(base + "/en/cabinet/bonuses/")
        tab.get_by_role("textbox", name=re.compile("Mobile phone")).fill("+7 701 111 22 33")
        tab.get_by_role("button", name=re.compile("Send")).click()
        assert _violations(tab) == []
        tab.context.clear_cookies()
        sign_in(tab, base, "member@example.kz")
        tab.goto(base + "/en/cabinet/bonuses/")
        assert _violations(tab) == []
        add_to_cart(tab, base, "kettle")
        tab.goto(base + "/en/checkout/")
        expect(tab.locator("[data-checkout-bonuses]")).to_be_visible()
        assert _violations(tab) == []
    screenshot(small, "loyalty-cabinet-phone")
    small.context.close()
