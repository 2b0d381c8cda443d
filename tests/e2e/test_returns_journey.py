"""Returns in Chromium (issue 11): a customer returns one of two items, support receives and accepts it, the refund
goes back through the CloudPayments sandbox and the customer's timeline shows it refunded with the amount; a guest
returns a cash-on-delivery order with an IBAN and Finance marks the bank transfer done (RET-3..7, REF-1..5, SUP-2)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.staff_groups import sync_staff_groups
from orders.models import Order, OrderStatus
from returns import requests
from returns.models import Refund, ReturnRequest, ReturnState
from tests import factories as f

from .steps import add_to_cart, fill_guest_courier_checkout

pytestmark = pytest.mark.django_db(transaction=True)

FRAME = "iframe[name=cloudpayments-sandbox]"
IBAN = "KZ86125KZT5004100100"


@pytest.fixture(autouse=True)
def card_payments(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SHOP_PAYMENT_SANDBOX = True
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk_sandbox_public_id"
    settings.CLOUDPAYMENTS_API_SECRET = "sandbox-api-secret"
    settings.CLOUDPAYMENTS_API_URL = "http://payments-sandbox.invalid/payments/sandbox/cloudpayments/api"
    settings.CLOUDPAYMENTS_WIDGET_URL = "/payments/sandbox/cloudpayments/widget.js"
    settings.SHOP_PAYMENT_ADAPTERS = [
        "payments.adapters.cloudpayments.CloudPayments",
        "payments.adapters.cod.CashOnDelivery",
    ]


def delivered_yesterday(order):
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=1)
    )


def staff_tab(browser, base, email, password):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(base + "/en/admin/login/")
    tab.locator("#id_username").fill(email)
    tab.locator("#id_password").fill(password)
    tab.locator("input[type=submit]").click()
    expect(tab.locator("#user-tools")).to_be_visible()
    return tab


def test_customer_returns_one_of_two_items_support_accepts_refund_through_cloudpayments(
    live_server, page, browser, screenshot, django_user_model
):
    base = live_server.url
    # given: a guest bought a kettle and a mug and paid by card in the sandbox; the order was delivered yesterday
    f.delivery_setup()
    kitchen = f.category(slug="kitchen", name_en="Kitchen")
    f.product(category_=kitchen, slug="kettle", name_en="White kettle", price="15990", stock=5)
    f.product(category_=kitchen, slug="mug", name_en="Blue mug", price="2500", stock=5)
    add_to_cart(page, base, "kettle")
    add_to_cart(page, base, "mug")
    page.goto(base + "/en/checkout/")
    fill_guest_courier_checkout(page, payment="cloudpayments")
    page.get_by_role("button", name="Confirm order").click()
    page.get_by_role("button", name="Pay by card").click()
    form = page.frame_locator(FRAME)
    form.get_by_label("Card number").fill("4242 4242 4242 4242")
    form.get_by_label("Expiry (MM/YY)").fill("12/39")
    form.get_by_label("CVC", exact=True).fill("123")
    form.get_by_role("button", name=re.compile(r"^Pay ")).click()
    expect(page.locator(".payment-ok")).to_be_visible()
    order = Order.objects.get()
    delivered_yesterday(order)
    mug = next(line for line in order.lines.all() if "mug" in line.product_name.lower())

    # when: the customer asks to return the mug from the order's page
    page.goto(f"{base}/en/orders/o/{order.access_token}/")
    page.get_by_role("link", name="Return goods or follow a return").click()
    page.locator(f"#id_line_{mug.pk}").fill("1")
    page.get_by_label("Changed my mind").check()
    for condition in (
        "The goods are unused",
        "Seals and factory labels are intact",
        "In the original packaging",
        "The set is complete",
    ):
        page.get_by_label(condition).check()
    page.get_by_label("Courier pickup").check()
    screenshot(page, "return-form")
    page.get_by_role("button", name="Send the return request").click()
    request = ReturnRequest.objects.get()
    expect(page.locator(".return-request")).to_contain_text(request.number)
    expect(page.locator(".return-next")).to_contain_text("hand it over by")
    screenshot(page, "return-submitted")
    returns_url = page.url

    # and support receives the goods, accepts them and sends the refund from the confirmation page
    django_user_model.objects.create_superuser(email="boss@example.kz", password="pw-123456")
    admin = staff_tab(browser, base, "boss@example.kz", "pw-123456")
    admin.goto(f"{base}/en/admin/returns/returnrequest/{request.pk}/change/")
    admin.get_by_role("button", name="Mark the goods received").click()
    admin.get_by_role("link", name=re.compile("Inspect")).click()
    admin.get_by_label("Accept: refund in full").check()
    admin.get_by_role("button", name="Record the decision").click()
    admin.get_by_role("link", name=re.compile("Send the refund")).click()
    expect(admin.get_by_role("table", name="Breakdown")).to_contain_text("2500")
    screenshot(admin, "refund-confirmation")
    admin.get_by_role("button", name="Send the money").click()
    expect(admin.locator(".messagelist")).to_contain_text("The refund was sent.")

    # then the money went back through the sandbox once, and the timeline says refunded with the amount
    refund = Refund.objects.get(reason=Refund.Reason.RETURN)
    assert refund.status == Refund.Status.DONE and refund.amount == mug.paid_total
    request.refresh_from_db()
    assert request.state == ReturnState.REFUNDED
    page.goto(returns_url)
    expect(page.locator(".return-request")).to_contain_text("Refunded")
    expect(page.locator(".return-amount")).to_contain_text("2")
    screenshot(page, "return-refunded")
    admin.context.close()


def test_guest_returns_a_cash_on_delivery_order_with_an_iban_and_finance_marks_it_done(
    live_server, page, browser, screenshot, django_user_model
):
    base = live_server.url
    # given: a delivered cash-on-delivery order, paid to the courier
    order = f.placed_order(f.delivery_setup(), items=(("7000.00", 1),), payment_method="cod")
    Order.objects.filter(pk=order.pk).update(paid_amount=order.total)
    delivered_yesterday(order)
    # when: the guest finds the order by number and e-mail and asks for a return with their IBAN
    page.goto(base + "/en/returns/find/")
    page.get_by_label("Order number").fill(order.number)
    page.get_by_label("E-mail given at checkout").fill(order.email)
    page.get_by_role("button", name="Find the order").click()
    page.locator(f"#id_line_{order.lines.get().pk}").fill("1")
    page.get_by_role("radio", name="Defect").check()
    page.get_by_label("What is wrong").fill("The lid does not close.")
    page.get_by_label("I send it myself").check()
    page.get_by_label("Tracking number (if already sent)").fill("KZP123456")
    page.get_by_label("IBAN of your bank account for the refund").fill("KZ86 125K ZT50 0410 0100")
    page.get_by_role("button", name="Send the return request").click()
    request = ReturnRequest.objects.get()
    assert request.iban == IBAN and request.state == ReturnState.AWAITING_GOODS
    expect(page.locator(".return-request")).to_contain_text(request.number)
    # and support accepts it (the admin journey is the test above)
    support = django_user_model.objects.create_user(email="sup@example.kz", password="x", is_staff=True)
    requests.mark_received(request=request, actor=support)
    refund = requests.accept_return(request=request, actor=support).refund
    assert refund.delivery_amount == order.delivery_cost  # REF-2: a defect refunds the delivery
    # then Finance makes the transfer and marks it done with its reference
    sync_staff_groups()
    finance = django_user_model.objects.create_user(email="fin@example.kz", password="pw-123456", is_staff=True)
    finance.groups.add(Group.objects.get(name="Finance"))
    tab = staff_tab(browser, base, "fin@example.kz", "pw-123456")
    tab.goto(f"{base}/en/admin/returns/refund/{refund.pk}/change/")
    tab.get_by_role("link", name=re.compile("Bank transfer made")).click()
    expect(tab.get_by_role("table", name="Breakdown")).to_contain_text(IBAN)
    tab.get_by_label("Bank transfer reference").fill("PP-2026-77")
    tab.get_by_role("button", name="Mark the refund done").click()
    expect(tab.locator(".messagelist")).to_contain_text("marked done")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DONE and refund.provider_reference == "PP-2026-77"
    page.reload()
    expect(page.locator(".return-request")).to_contain_text("Refunded")
    expect(page.locator(".return-next")).to_contain_text("ending 0100")
    screenshot(page, "return-cod-refunded")
    tab.context.close()
