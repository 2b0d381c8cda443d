"""The buying journeys of issue 4 in a real browser: a guest buys with courier delivery and cash on delivery and
follows the link in the mail (ORD-2, ORD-7); a registered customer applies a coupon, picks a pickup point that is
free over 20 000 KZT and finds the order in the cabinet (CPN-1, DLV-3, ACC-3); support confirms and ships it in the
admin and the customer sees the tracking number (SUP-2, ORD-5)."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from orders.models import Order, OrderEvent, OrderStatus
from tests import factories as f

from .steps import add_to_cart, choose_city

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Steppe-Wind-2026"


@pytest.fixture
def shop():
    setup = f.delivery_setup()
    teapots = f.category(slug="teapots", name_en="Teapots")
    kettle = f.product(category_=teapots, slug="kettle", name_en="White kettle", price="15990", stock=5, image=True)
    cups = f.product(category_=teapots, slug="cups", name_en="Cup set", price="7500", stock=8, image=True)
    setup.kettle, setup.cups = kettle.variants.get(), cups.variants.get()
    return setup


def sign_in(page, base, email):
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def customer(email, full_name, *, staff_group=None):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(email=email, password=PASSWORD, full_name=full_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if staff_group:
        from accounts.staff_groups import sync_staff_groups

        sync_staff_groups()
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(Group.objects.get(name=staff_group))
    return user


def test_ord2_ord7_guest_buys_two_products_by_courier_cash_on_delivery_and_opens_the_mailed_link(
    live_server, page, shop, screenshot
):
    base = live_server.url
    # given: a guest with two products in the cart
    add_to_cart(page, base, "kettle")
    add_to_cart(page, base, "cups", 2)
    page.goto(base + "/en/cart/")
    page.get_by_role("link", name=re.compile("checkout", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Checkout")

    # when: they fill the form, choose courier delivery and cash on delivery, accept the terms and confirm
    page.get_by_label("Full name").fill("Aigerim Sapar")
    page.get_by_label("E-mail").fill("aigerim@example.kz")
    page.get_by_label("Phone").fill("8 701 123 45 67")
    choose_city(page, "Almaty")
    page.locator("label[for=delivery-courier]").click()
    page.get_by_label("Delivery address").fill("Abay avenue 10, flat 5")
    expect(page.locator(".checkout-summary")).to_contain_text(re.compile(r"1\s500\s₸"))  # the courier tariff, live
    page.locator("label[for=payment-cod]").click()
    page.locator("#id_terms").check()
    screenshot(page, "checkout-guest-courier")
    page.get_by_role("button", name="Confirm order").click()

    # then: the order page says it was placed; the order holds both lines and the frozen courier cost
    expect(page.get_by_role("heading", level=1)).to_contain_text("Order")
    order = Order.objects.get()
    assert order.user is None and order.status == OrderStatus.PLACED
    assert order.delivery_method == "courier" and order.payment_method == "cod"
    assert order.goods_total == Decimal("30990.00") and order.delivery_cost == Decimal("1500.00")
    assert order.total == Decimal("32490.00")
    assert sorted(order.lines.values_list("quantity", flat=True)) == [1, 2]
    expect(page.locator(".messages")).to_contain_text(order.number)
    screenshot(page, "order-placed-guest")

    # and the "received" mail carries the secret link, which opens the order in a fresh browser
    received = [m for m in mail.outbox if order.number in m.subject]
    assert len(received) == 1 and received[0].to == ["aigerim@example.kz"]
    link = re.search(r"https?://\S+/orders/o/[\w-]+/", received[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    fresh = page.context.browser.new_context(locale="en-US").new_page()
    fresh.goto(base + path)
    expect(fresh.get_by_role("heading", level=1)).to_contain_text(order.number)
    expect(fresh.locator("main")).to_contain_text("White kettle")
    expect(fresh.locator("main")).to_contain_text("Cup set")
    fresh.context.close()


def test_cpn1_dlv3_acc3_customer_applies_coupon_picks_free_pickup_then_support_ships_and_customer_sees_tracking(
    live_server, browser, page, shop, screenshot
):
    base = live_server.url
    customer("dana@example.kz", "Dana Nurlan")
    f.coupon("TEAPOT10", kind="percent", value="10")

    # given: a signed-in customer with 23 490 KZT of goods in the cart (over the 20 000 pickup threshold)
    sign_in(page, base, "dana@example.kz")
    add_to_cart(page, base, "kettle")
    add_to_cart(page, base, "cups")
    page.goto(base + "/en/checkout/")
    expect(page.get_by_label("Full name")).to_have_value("Dana Nurlan")  # prefilled from the account
    page.get_by_label("Phone").fill("+7 701 555 44 33")

    # when: they apply a coupon
    page.get_by_label("Coupon code (optional)").fill("teapot10")
    page.get_by_role("button", name="Apply coupon").click()
    expect(page.locator(".checkout-summary")).to_contain_text("TEAPOT10")
    expect(page.locator(".checkout-summary")).to_contain_text(re.compile(r"2\s349"))  # 10 % of 23 490

    # and choose a pickup point in their city: free, because the goods total is at least 20 000 (DLV-3)
    choose_city(page, "Almaty")
    page.locator("label[for=delivery-pickup]").click()
    expect(page.locator("label[for=delivery-pickup]")).to_contain_text("free")
    page.locator("#id_pickup_point").select_option(str(shop.pickup_point.pk))
    page.locator("label[for=payment-cod]").click()
    page.locator("#id_terms").check()
    screenshot(page, "checkout-customer-coupon-pickup")
    page.get_by_role("button", name="Confirm order").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Order")

    order = Order.objects.get()
    assert order.user.email == "dana@example.kz"
    assert order.delivery_cost == Decimal("0.00") and order.pickup_point == shop.pickup_point
    assert order.coupon_code == "TEAPOT10" and order.discount_total == Decimal("2349.00")
    assert sum(order.lines.values_list("discount_share", flat=True)) == order.discount_total

    # then: the order is in "My orders"
    page.goto(base + "/en/cabinet/orders/")
    row = page.locator("main").get_by_role("link", name=order.number)
    expect(row).to_be_visible()
    screenshot(page, "cabinet-orders")

    # when: a support agent confirms it, marks it assembling and ships it with a tracking number in the admin
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
    screenshot(staff, "admin-ship-order")
    staff.get_by_role("button", name=re.compile("Mark shipped|Ship|Confirm|Save", re.I)).first.click()
    expect(staff.locator(".messagelist")).to_be_visible()
    screenshot(staff, "admin-order-shipped")
    staff.context.close()

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and order.tracking_number == "CDEK-1234567890"
    agent_events = OrderEvent.objects.filter(order=order, actor__email="agent@example.kz")
    assert list(agent_events.filter(kind="status").values_list("to_status", flat=True)) == [
        "confirmed",
        "assembling",
        "shipped",
    ]

    # then: the customer sees the tracking number and the carrier link in the cabinet and on the order page
    page.goto(base + "/en/cabinet/orders/")
    expect(page.locator("main")).to_contain_text("CDEK-1234567890")
    page.locator("main").get_by_role("link", name=order.number).click()
    expect(page.locator(".tracking-number")).to_have_text("CDEK-1234567890")
    expect(page.locator(".tracking-link")).to_have_attribute("href", re.compile("CDEK-1234567890"))
    screenshot(page, "order-shipped-customer")
    shipped_mail = [m for m in mail.outbox if order.number in m.subject and "CDEK-1234567890" in m.body]
    assert len(shipped_mail) == 1
