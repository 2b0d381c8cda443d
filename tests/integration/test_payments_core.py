"""The payments core (PAY-3, PAY-4, PAY-5, PAY-7) with the test card method (tests/payment_doubles.py): applying a
provider's word exactly once, refusing forged and wrong-amount notifications, refunding automatically what an order
cannot take, expiring unpaid orders, refunds within what was paid, and the customer's payment pages."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderEvent, OrderStatus
from orders.payment_methods import StatusResult
from payments import services
from payments.models import Payment, PaymentEvent, PaymentRefund, PaymentStatus
from returns.models import Refund
from shop.models import Variant
from tests import factories as f
from tests.payment_doubles import COD, TEST_CARD, TestCard, sign

pytestmark = pytest.mark.django_db

NOTIFY = "/payments/notify/testcard/pay/"


@pytest.fixture(autouse=True)
def card_shop(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [TEST_CARD, COD]
    settings.SHOP_PAYMENT_ALERT_EMAILS = ["support@example.kz"]
    TestCard.refunds = []
    TestCard.refuse_refunds = False
    TestCard.status = None
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    return f.delivery_setup()


def card_order(setup, **overrides):
    return f.placed_order(setup, payment_method="testcard", **overrides)


def notify(client, payment, *, amount=None, currency="KZT", transaction="T-1", signature=None):
    body = urlencode(
        {
            "invoice": payment.invoice_id,
            "amount": amount or payment.amount,
            "currency": currency,
            "transaction": transaction,
        }
    ).encode()
    return client.generic(
        "POST",
        NOTIFY,
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Test-Signature": sign(body) if signature is None else signature},
    )


def paid_mails():
    return [m for m in mail.outbox if "paid" in m.subject.lower() or "оплачен" in m.subject.lower()]


# --- Applying a notification once (PAY-4) -------------------------------------------------------------------------


def test_pay4_a_hundred_replays_of_one_payment_make_one_paid_transition_and_one_mail(
    client, setup, django_capture_on_commit_callbacks
):
    """PAY-4: the same Pay notification 100 times → one payment, one "paid" transition, one mail."""
    # given
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        answers = [notify(client, payment) for _ in range(100)]
    # then
    assert {a.status_code for a in answers} == {200}
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, order.paid_amount) == (OrderStatus.PAID, order.total)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_transaction_id == "T-1"
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID).count() == 1
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT).count() == 1
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].subject
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.NOTIFICATION).count() == 100


def test_pay3_a_forged_notification_is_refused_logged_and_changes_nothing(client, setup):
    """PAY-3: a wrong signature → 403; the attempt is logged unverified; the order stays unpaid."""
    # given
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    # when
    answer = notify(client, payment, signature="0" * 64)
    # then
    assert answer.status_code == 403
    order.refresh_from_db()
    assert order.paid_amount == 0 and order.status == OrderStatus.PLACED
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.NEW
    event = PaymentEvent.objects.get(kind=PaymentEvent.Kind.NOTIFICATION)
    assert event.verified is False and event.outcome == "forged"


def test_pay3_a_wrong_amount_or_currency_is_refused(setup):
    """PAY-3: amount or currency other than the attempt's → refused, nothing changes."""
    # given
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    # when
    short = services.record_success(
        payment=payment, amount=order.total - Decimal("0.01"), currency="KZT", transaction_id="A"
    )
    dollars = services.record_success(payment=payment, amount=order.total, currency="USD", transaction_id="B")
    # then
    assert short.code == dollars.code == services.WRONG_AMOUNT
    order.refresh_from_db()
    assert order.paid_amount == 0 and Payment.objects.get(pk=payment.pk).status == PaymentStatus.NEW


def test_pay4_an_unknown_invoice_is_answered_without_a_500(client):
    """PAY-4: a notification for an invoice we never issued is logged and answered, never a 500."""
    body = urlencode({"invoice": "9999999999", "amount": "100", "currency": "KZT", "transaction": "X"}).encode()
    answer = client.generic(
        "POST", NOTIFY, body, content_type="application/x-www-form-urlencoded", headers={"X-Test-Signature": sign(body)}
    )
    assert answer.status_code == 200 and answer.json() == {"code": 10}
    assert PaymentEvent.objects.filter(outcome="unknown invoice", payment=None).count() == 1


def test_pay4_the_endpoint_takes_only_post_from_known_methods(client):
    assert client.get(NOTIFY).status_code == 405
    assert client.post("/payments/notify/nosuch/pay/", {}).status_code == 404
    assert client.post("/payments/notify/cod/pay/", {}).status_code == 404  # offline methods take no callbacks


def test_pay4_a_payment_for_a_cancelled_order_is_refunded_automatically_and_support_alerted(
    setup, django_capture_on_commit_callbacks
):
    """PAY-4: money that arrives after the order was cancelled (stock released) goes straight back."""
    # given
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    fulfilment.cancel_order(order=order, actor=None, reason="customer asked")
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="L")
    # then
    assert outcome.code == services.APPLIED
    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.paid_amount == 0
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == payment.amount
    refund = PaymentRefund.objects.get(payment=payment)
    assert (refund.reason, refund.status, refund.amount) == ("cancelled_order", "succeeded", payment.amount)
    assert TestCard.refunds == [(payment.invoice_id, payment.amount)]
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.ALERT).count() == 1
    assert [m.to for m in mail.outbox] == [["support@example.kz"]]


def test_pay4_a_second_payment_of_a_paid_order_is_refunded_not_kept(setup):
    """PAY-4: two tabs, two successful attempts: the order is paid once, the second charge goes back."""
    # given
    order = card_order(setup)
    first = services.current_attempt(order=order)
    second = services.current_attempt(order=order, new=True)
    # when
    services.record_success(payment=first, amount=first.amount, currency="KZT", transaction_id="one")
    services.record_success(payment=second, amount=second.amount, currency="KZT", transaction_id="two")
    # then
    order.refresh_from_db()
    assert order.paid_amount == order.total and order.status == OrderStatus.PAID
    assert Payment.objects.get(pk=second.pk).status == PaymentStatus.REFUNDED
    assert PaymentRefund.objects.get(payment=second).reason == PaymentRefund.Reason.DUPLICATE


def test_pay4_a_refund_the_provider_refuses_stays_visible_and_is_not_counted(setup):
    """PAY-7: when the provider says no, nothing is counted as refunded and the refund shows as failed."""
    # given
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    TestCard.refuse_refunds = True
    # when
    result = services.refund(payment=payment, amount=Decimal("100.00"), reason=PaymentRefund.Reason.REFUND_DUE)
    # then
    assert result.status == PaymentRefund.Status.FAILED and result.message == "refused by the test provider"
    assert Payment.objects.get(pk=payment.pk).refunded_amount == 0


# --- Refunds (PAY-7) ----------------------------------------------------------------------------------------------


def test_pay7_partial_then_full_refund_and_never_more_than_paid(setup):
    """PAY-7: partial refunds add up to the payment, a refund beyond it is refused, full → "refunded"."""
    # given
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    # when
    services.refund(payment=payment, amount=Decimal("1000.00"), reason=PaymentRefund.Reason.REFUND_DUE)
    with pytest.raises(services.PaymentError):
        services.refund(payment=payment, amount=payment.amount, reason=PaymentRefund.Reason.REFUND_DUE)
    services.refund(payment=payment, amount=payment.amount - Decimal("1000.00"), reason=PaymentRefund.Reason.REFUND_DUE)
    # then
    payment.refresh_from_db()
    assert payment.refunded_amount == payment.amount and payment.status == PaymentStatus.REFUNDED
    assert [amount for _, amount in TestCard.refunds] == [Decimal("1000.00"), payment.amount - Decimal("1000.00")]


def test_pay7_the_same_refund_key_is_sent_once(setup):
    """PAY-4: a double-clicked refund (same idempotency key) reaches the provider once."""
    # given
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    services.refund(payment=payment, amount=Decimal("10.00"), reason="refund_due", key="k1")
    # when / then
    with pytest.raises(services.PaymentError):
        services.refund(payment=payment, amount=Decimal("10.00"), reason="refund_due", key="k1")
    assert len(TestCard.refunds) == 1


def test_pay7_a_refund_due_of_a_cancelled_paid_order_is_sent_by_finance_from_the_admin(
    client, setup, django_capture_on_commit_callbacks
):
    """PAY-7, STAFF-1: Finance sends a refund due through the provider; the refund due becomes "refunded";
    pressing again sends nothing more. Support may not send money."""
    # given
    from django.contrib.auth.models import Group

    from accounts.staff_groups import sync_staff_groups

    sync_staff_groups()
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    with django_capture_on_commit_callbacks(execute=True):  # orders announces the cancellation after commit
        fulfilment.cancel_order(order=order, actor=None, reason="out of stock")
    due = Refund.objects.get(order=order)
    from accounts.models import User

    finance = User.objects.create_user(email="fin@example.kz", password="x", is_staff=True)
    finance.groups.add(Group.objects.get(name="Finance"))
    support = User.objects.create_user(email="sup@example.kz", password="x", is_staff=True)
    support.groups.add(Group.objects.get(name="Support"))
    url = reverse("admin:returns_refund_send", args=[due.pk])  # the confirmation page (issue 11), never a list
    data = {"amount": str(order.total)}
    # when Support tries
    client.force_login(support)
    assert client.post(url, data).status_code == 403
    # then nothing is sent
    assert TestCard.refunds == []
    # when Finance sends twice
    client.force_login(finance)
    page = client.get(url)
    assert page.status_code == 200 and str(order.total) in page.content.decode()
    client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    # then the money went back once
    assert TestCard.refunds == [(payment.invoice_id, order.total)]
    due.refresh_from_db()
    assert due.status == Refund.Status.DONE and due.refunded_at is not None
    assert "already been sent" in second.content.decode()


# --- Online payment and the order's flow (ORD-5, ORD-7) -----------------------------------------------------------


def test_ord5_a_paid_order_is_confirmed_and_being_assembled_with_one_paid_mail(
    setup, django_capture_on_commit_callbacks
):
    """ORD-5/ORD-7: an online payment confirms the placed order (stock is reserved) → "paid", one mail (no
    separate "confirmed" mail a second before the "paid" one)."""
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert list(OrderEvent.objects.filter(order=order, kind="status").values_list("to_status", flat=True)) == [
        "confirmed",
        "paid",
    ]
    assert len(mail.outbox) == 1


def test_ord5_without_confirm_when_paid_the_manager_confirms_and_the_order_goes_on_to_paid(setup, settings):
    """ORD-5: with SHOP_CONFIRM_WHEN_PAID off, a paid order waits for the manager, whose confirmation moves it
    straight to "paid"."""
    settings.SHOP_CONFIRM_WHEN_PAID = False
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and order.paid_amount == order.total
    fulfilment.confirm_order(order=order, actor=None)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_pay5_a_decline_keeps_the_order_payable_and_a_retry_is_a_new_invoice(setup):
    """PAY-5: a declined attempt records the reason; the customer's retry is a new attempt with a new invoice."""
    order = card_order(setup)
    first = services.current_attempt(order=order)
    services.record_decline(payment=first, reason_code="5051", message="Not enough money on the card.")
    retry = services.current_attempt(order=order, new=True)
    assert Payment.objects.get(pk=first.pk).status == PaymentStatus.FAILED
    assert retry.invoice_id != first.invoice_id and retry.invoice_id.startswith(order.number)
    assert services.current_attempt(order=order) == retry  # reloading the page reuses the open attempt


def test_pay5_the_customer_switches_to_another_method_offered_for_the_order(client, setup):
    """PAY-5 "choose another method": only among those offered; the change is in the order's history."""
    order = card_order(setup)
    answer = client.post(reverse("payments:switch_method", kwargs={"token": order.access_token}), {"method": "cod"})
    order.refresh_from_db()
    assert answer.status_code == 302 and answer["Location"] == order.get_absolute_url()
    assert order.payment_method == "cod"
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT_METHOD).exists()
    # an unknown method is refused with a message, nothing changes
    client.post(reverse("payments:switch_method", kwargs={"token": order.access_token}), {"method": "nosuch"})
    assert Order.objects.get(pk=order.pk).payment_method == "cod"


# --- Expiry of unpaid orders --------------------------------------------------------------------------------------


def test_pay4_unpaid_online_orders_expire_and_release_their_stock(setup, settings):
    """PAY-4: after SHOP_PAYMENT_TIMEOUT_MINUTES an unpaid online order is cancelled, its stock back on sale,
    its open attempt cancelled; cash-on-delivery orders and fresh orders are left alone."""
    # given
    settings.SHOP_PAYMENT_TIMEOUT_MINUTES = 30
    old = card_order(setup)
    payment = services.current_attempt(order=old)
    fresh = card_order(setup)
    cod = f.placed_order(setup, payment_method="cod")
    variant = Variant.objects.get(pk=old.lines.get().variant_id)
    stock_before = variant.stock
    Order.objects.filter(pk__in=[old.pk, cod.pk]).update(placed_at=timezone.now() - timedelta(minutes=31))
    # when
    expired = services.expire_unpaid_orders()
    again = services.expire_unpaid_orders()
    # then
    assert (expired, again) == (1, 0)
    assert Order.objects.get(pk=old.pk).status == OrderStatus.CANCELLED
    assert Variant.objects.get(pk=variant.pk).stock == stock_before + 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED
    assert Order.objects.get(pk=fresh.pk).status == OrderStatus.PLACED
    assert Order.objects.get(pk=cod.pk).status == OrderStatus.PLACED


def test_pay4_a_polling_provider_is_asked_once_more_before_the_order_expires(setup, settings):
    """PAY-4: an invoice paid in the last minute is found by the last status check, not cancelled."""
    settings.SHOP_PAYMENT_TIMEOUT_MINUTES = 30
    TestCard.polls = True
    try:
        order = card_order(setup)
        payment = services.current_attempt(order=order)
        services.mark_pending(payment)
        TestCard.status = StatusResult(state="paid", amount=payment.amount, currency="KZT", transaction_id="K1")
        Order.objects.filter(pk=order.pk).update(placed_at=timezone.now() - timedelta(minutes=31))
        assert services.expire_unpaid_orders() == 0
        assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    finally:
        TestCard.polls = False


def test_pay4_an_expired_order_cannot_be_paid_from_its_page(client, setup, settings):
    order = card_order(setup)
    Order.objects.filter(pk=order.pk).update(placed_at=timezone.now() - timedelta(hours=1))
    page = client.get(reverse("payments:pay", kwargs={"token": order.access_token}))
    assert page.status_code == 200 and "The time to pay this order has run out" in page.content.decode()
    assert not Payment.objects.filter(order=order).exists()


# --- The customer's pages -----------------------------------------------------------------------------------------


def test_pay1_checkout_sends_an_online_order_to_its_payment_step(client, setup):
    """PAY-1: after "Confirm order" an online method goes on to pay at once (here: the test provider's page)."""
    order = card_order(setup)
    page = client.get(reverse("payments:pay", kwargs={"token": order.access_token}))
    payment = Payment.objects.get(order=order)
    assert page.status_code == 302 and page["Location"] == f"/test-provider/{payment.invoice_id}/"
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]


def test_pay_pages_need_the_orders_secret_link(client, setup):
    """Security: no payment page without the order's token; another order's token shows that order only."""
    for name in ("payments:pay", "payments:result"):
        assert client.get(reverse(name, kwargs={"token": "x" * 43})).status_code == 404


def test_pay5_the_result_page_says_why_a_payment_was_declined_and_offers_a_retry(client, setup):
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.record_decline(payment=payment, reason_code="5051", message="Not enough money on the card.")
    page = client.get(reverse("payments:result", kwargs={"token": order.access_token})).content.decode()
    assert "Not enough money on the card." in page and "Try again" in page
    assert "Choose another payment method" in page  # cash on delivery is offered for this courier order


def test_ord7_the_result_page_says_paid_and_being_assembled(client, setup):
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    page = client.get(reverse("payments:result", kwargs={"token": order.access_token})).content.decode()
    assert "Paid:" in page and "being assembled" in page
    assert client.get(reverse("payments:pay", kwargs={"token": order.access_token})).status_code == 302


def test_pay_check_now_asks_the_provider_for_a_waiting_payment(client, setup):
    """ "I have paid — check now": the provider is asked at once; a paid answer pays the order."""
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    services.mark_pending(payment)
    TestCard.status = StatusResult(state="paid", amount=payment.amount, currency="KZT", transaction_id="C1")
    client.post(reverse("payments:result", kwargs={"token": order.access_token}))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


# --- Events never keep card data or secrets -----------------------------------------------------------------------


def test_pay2_events_mask_card_data_and_secrets():
    """PAY-2/PAY-3: what we log about a callback keeps no card number, expiry, token or secret hash."""
    from payments.events import masked

    text = masked(
        b"CardFirstSix=424242&CardLastFour=4242&CardExpDate=12/30&Token=tok_1&Amount=10&Data=4242424242424242"
    )
    assert "12%2F30" not in text and "tok_1" not in text and "4242424242424242" not in text
    assert "Amount=10" in text and "CardLastFour=4242" in text
    as_json = masked({"secret_hash": "s3cr3t", "invoiceId": "1", "card": {"cvc": "123"}})
    assert "s3cr3t" not in as_json and "123" not in as_json and '"invoiceId": "1"' in as_json


def test_pay4_an_invoice_paid_after_the_order_expired_is_found_by_the_poller_and_refunded(setup, settings):
    """PAY-4: a polled invoice (Kaspi) stays watched after its order expired; money paid on it later is found by
    the next poll and sent straight back, with a support alert."""
    # given
    settings.SHOP_PAYMENT_TIMEOUT_MINUTES = 30
    TestCard.polls = True
    try:
        order = card_order(setup)
        payment = services.current_attempt(order=order)
        services.mark_pending(payment, provider_payment_id="QR-1", next_check_at=timezone.now())
        Order.objects.filter(pk=order.pk).update(placed_at=timezone.now() - timedelta(minutes=31))
        assert services.expire_unpaid_orders() == 1
        assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED
        # when the customer pays the old invoice in the app, and the poller runs
        TestCard.status = StatusResult(state="paid", amount=payment.amount, currency="KZT", transaction_id="LATE")
        polled = services.poll_open_payments(now=timezone.now() + timedelta(minutes=5))
        # then
        payment.refresh_from_db()
        assert polled == 1
        assert payment.status == PaymentStatus.REFUNDED
        assert PaymentRefund.objects.get(payment=payment).reason == PaymentRefund.Reason.CANCELLED_ORDER
        assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.ALERT).exists()
        assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
        # and it is not asked about again
        assert services.poll_open_payments(now=timezone.now() + timedelta(hours=1)) == 0
    finally:
        TestCard.polls = False


# --- Support and Finance see payments and their event log (PAY-3, SUP-2) ---------------------------------------------


def test_pay3_support_sees_the_orders_payments_and_each_payments_event_log_in_the_admin(client, setup):
    """SUP-2: the order's admin page lists its payment attempts; a payment's page shows its provider calls, and
    the event list shows the forged one too. Support reads; nobody edits or deletes payments."""
    # given
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.staff_groups import sync_staff_groups

    sync_staff_groups()
    order = card_order(setup)
    payment = services.current_attempt(order=order)
    notify(client, payment, signature="forged")
    notify(client, payment)
    agent = User.objects.create_user(email="agent@example.kz", password="x", is_staff=True)
    agent.groups.add(Group.objects.get(name="Support"))
    client.force_login(agent)
    # when
    order_page = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    payment_page = client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    events_list = client.get(reverse("admin:payments_paymentevent_changelist"), {"verified__exact": "0"})
    # then
    assert order_page.status_code == 200 and payment.invoice_id in order_page.content.decode()
    html = payment_page.content.decode()
    assert payment_page.status_code == 200
    assert "applied" in html and "forged" not in html  # a forged call is not attributed to any payment...
    assert events_list.status_code == 200 and "forged" in events_list.content.decode()  # ...but it is logged
    delete = client.post(reverse("admin:payments_payment_delete", args=[payment.pk]), {"post": "yes"})
    assert delete.status_code == 403 and Payment.objects.filter(pk=payment.pk).exists()


# --- Bad input on the customer's pages ------------------------------------------------------------------------------


def test_pay1_a_phone_that_is_not_a_kazakh_mobile_is_refused_with_a_message_and_no_invoice(client, settings, setup):
    """Bad input: the Kaspi phone form answers 400 with the field's message; no attempt is created."""
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.kaspi.KaspiPay", COD]
    order = f.placed_order(setup, payment_method="kaspi")
    url = reverse("payments:pay", kwargs={"token": order.access_token})
    for phone in ("", "12345", "+1 202 555 0100", "x" * 300):
        answer = client.post(url, {"phone": phone})
        assert answer.status_code == 400, phone
        assert "Please correct the fields marked below." in answer.content.decode()
    assert not Payment.objects.filter(order=order).exists()


def test_pay4_a_cancelled_order_cannot_be_paid_again_from_its_pages(client, setup):
    """Bad input: "Try again" or "switch method" on a cancelled order → a clear refusal, nothing created."""
    order = card_order(setup)
    fulfilment.cancel_order(order=order, actor=None, reason="out of stock")
    retry = client.post(reverse("payments:pay", kwargs={"token": order.access_token}))
    assert retry.status_code == 409 and "cannot be paid now" in retry.content.decode()
    switch = client.post(
        reverse("payments:switch_method", kwargs={"token": order.access_token}), {"method": "cod"}, follow=True
    )
    assert switch.status_code == 200 and Order.objects.get(pk=order.pk).payment_method == "testcard"
    assert not Payment.objects.filter(order=order).exists()
