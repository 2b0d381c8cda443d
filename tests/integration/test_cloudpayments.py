"""CloudPayments against the real Postgres: the signed notifications (Check, Pay, Fail, Refund) at our endpoint,
applied exactly once (PAY-3, PAY-4), declines in plain words (PAY-5), refunds through the API (PAY-7), and the
sandbox gateway that speaks the provider's shapes (PAY-6). Card data never reach the shop's records (PAY-2)."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from orders.fulfilment import services as fulfilment
from orders.models import City, Order, OrderEvent, OrderStatus
from orders.payment_methods import PAID, get_adapter
from payments import services
from payments.adapters.cloudpayments import CloudPayments, decline_message, sign
from payments.models import Payment, PaymentEvent, PaymentRefund, PaymentStatus
from payments.sandbox.models import SandboxTransaction
from tests import factories as f
from tests.concurrency import run_together

SECRET = "sandbox-api-secret"
CARDS = {"ok": "4242 4242 4242 4242", "3ds": "4000 0000 0000 3220", "funds": "4000 0000 0000 5051"}


def en_reverse(name, **kwargs):
    """Customer pages in English, whatever language the previous request of the test left active."""
    with translation.override("en"):
        return reverse(name, **kwargs)


@pytest.fixture(autouse=True)
def sandbox_keys(settings):
    settings.SHOP_PAYMENT_SANDBOX = True
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk_sandbox_public_id"
    settings.CLOUDPAYMENTS_API_SECRET = SECRET
    settings.CLOUDPAYMENTS_API_URL = "http://payments-sandbox.invalid/payments/sandbox/cloudpayments/api"
    settings.CLOUDPAYMENTS_WIDGET_URL = "/payments/sandbox/cloudpayments/widget.js"
    settings.SHOP_PAYMENT_ADAPTERS = [
        "payments.adapters.cloudpayments.CloudPayments",
        "payments.adapters.cod.CashOnDelivery",
    ]
    with translation.override("en"):
        yield


def card_order(setup=None, price="11490.00", **overrides):  # + 1 500 courier = 12 990
    setup = setup or f.delivery_setup()
    return f.placed_order(
        setup, items=((price, 1),), payment_method="cloudpayments", email="buyer@example.kz", **overrides
    )


def started(order) -> Payment:
    """The customer opened the payment page: an attempt handed to the widget (pending)."""
    payment = services.current_attempt(order=order)
    action = services.start(payment=payment)
    assert action.kind == "widget"
    return payment


def fields(payment, **overrides) -> dict:
    values = {
        "TransactionId": "3000000001",
        "Amount": f"{payment.amount:.2f}",
        "Currency": "KZT",
        "InvoiceId": payment.invoice_id,
        "AccountId": "buyer@example.kz",
        "Email": "buyer@example.kz",
        "DateTime": "2026-01-10 09:30:00",
        "CardFirstSix": "424242",
        "CardLastFour": "4242",
        "CardType": "Visa",
        "Status": "Completed",
        "OperationType": "Payment",
        "TestMode": "1",
    }
    values.update(overrides)
    return values


def notify(client, kind, data: dict, *, secret=SECRET, header="Content-HMAC", signature=None, as_json=False):
    if as_json:
        import json

        body, content_type = json.dumps(data).encode(), "application/json"
    else:
        body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
    headers = {} if header is None else {header: signature if signature is not None else sign(body, secret)}
    return client.post(
        reverse("payments_notify:notify", kwargs={"adapter": "cloudpayments", "kind": kind}),
        data=body,
        content_type=content_type,
        headers=headers,
    )


def code_of(response) -> int:
    assert response.status_code == 200, response.content
    return response.json()["code"]


def sandbox_paid(payment, key="3000000001") -> SandboxTransaction:
    """What the sandbox gateway remembers after charging the card (for refunds through its API)."""
    return SandboxTransaction.objects.create(
        provider="cloudpayments",
        key=key,
        invoice_id=payment.invoice_id,
        status="Completed",
        amount=payment.amount,
        currency=payment.currency,
        data={"options": {"accountId": "buyer@example.kz", "email": "buyer@example.kz"}, "card": {}},
    )


# --- Starting ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pay1_pay2_start_gives_the_widget_its_parameters_and_the_page_never_asks_for_the_card(client):
    """PAY-1/PAY-2: the payment page renders the widget (script, Pay-by-card button, no-JS note) with the order's
    invoice; the payment is pending; there is no card field on our page."""
    # given
    order = card_order()
    # when
    response = client.get(en_reverse("payments:pay", kwargs={"token": order.access_token}))
    # then
    assert response.status_code == 200
    payment = order.payments.get()
    assert payment.status == PaymentStatus.PENDING
    action = response.context["action"]
    assert action.template == "payments/cloudpayments/widget.html"
    ctx = action.context
    assert ctx["publicId"] == "pk_sandbox_public_id" and ctx["amount"] == "12990.00" and ctx["currency"] == "KZT"
    assert ctx["invoiceId"] == payment.invoice_id and ctx["accountId"] == ctx["email"] == "buyer@example.kz"
    assert ctx["widget_url"] == "/payments/sandbox/cloudpayments/widget.js"
    assert ctx["result_url"] == en_reverse("payments:result", kwargs={"token": order.access_token})
    html = response.content.decode()
    assert 'src="/payments/sandbox/cloudpayments/widget.js"' in html and "js/cloudpayments.js" in html
    assert "Pay by card" in html and "<noscript>" in html and "needs JavaScript" in html
    assert "Choose another payment method" in html
    assert "cc-number" not in html and 'name="card' not in html


@pytest.mark.django_db
def test_pay1_available_only_with_keys_and_a_positive_amount(settings):
    """PAY-1: without the cabinet keys (production without setup) the method is not offered."""
    adapter = CloudPayments()
    assert adapter.is_available(amount=Decimal("100"), delivery_method="courier")
    assert not adapter.is_available(amount=Decimal("0"), delivery_method="courier")
    settings.CLOUDPAYMENTS_API_SECRET = ""
    assert not adapter.is_available(amount=Decimal("100"), delivery_method="courier")
    settings.CLOUDPAYMENTS_API_SECRET, settings.CLOUDPAYMENTS_PUBLIC_ID = SECRET, ""
    assert not adapter.is_available(amount=Decimal("100"), delivery_method="courier")


# --- Check ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pay3_check_answers_0_10_12_13(client):
    """PAY-3: Check replies 0 (may pay), 10 (unknown invoice), 12 (wrong amount or currency), 13 (order cancelled);
    every one is logged."""
    # given
    payment = started(card_order())
    # when / then
    assert code_of(notify(client, "check", fields(payment))) == 0
    assert code_of(notify(client, "check", fields(payment, Amount="12990"))) == 0  # the same money as Decimal
    assert code_of(notify(client, "check", fields(payment, InvoiceId="9999999999"))) == 10
    assert code_of(notify(client, "check", fields(payment, Amount="12989.99"))) == 12
    assert code_of(notify(client, "check", fields(payment, Amount="lots"))) == 12
    assert code_of(notify(client, "check", fields(payment, Currency="RUB"))) == 12
    fulfilment.cancel_order(order=payment.order, actor=None, reason="test")
    assert code_of(notify(client, "check", fields(payment))) == 13
    # and nothing was paid; all seven were logged as verified
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    logged = PaymentEvent.objects.filter(adapter="cloudpayments", kind=PaymentEvent.Kind.NOTIFICATION)
    assert logged.count() == 7 and all(event.verified for event in logged)


@pytest.mark.django_db
def test_pay4_check_answers_20_when_the_time_to_pay_has_run_out(client, settings):
    """PAY-4: after SHOP_PAYMENT_TIMEOUT_MINUTES the order cannot be paid: Check replies 20 (expired)."""
    # given: an order placed 31 minutes ago
    payment = started(card_order())
    Order.objects.filter(pk=payment.order_id).update(
        placed_at=timezone.now() - timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES + 1)
    )
    # when / then
    assert code_of(notify(client, "check", fields(payment))) == 20


@pytest.mark.django_db
def test_pay3_check_answers_13_for_an_order_already_paid(client, django_capture_on_commit_callbacks):
    """PAY-4: a second card payment for a paid order is refused before any money moves."""
    # given
    payment = started(card_order())
    with django_capture_on_commit_callbacks(execute=True):
        assert code_of(notify(client, "pay", fields(payment))) == 0
    # when / then
    assert code_of(notify(client, "check", fields(payment))) == 13


# --- Pay -----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pay3_ord7_pay_marks_the_order_paid_and_sends_one_paid_mail(client, django_capture_on_commit_callbacks):
    """PAY-3/ORD-7: a signed Pay with the right amount pays the order; the customer gets one "paid" mail."""
    # given
    payment = started(card_order())
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        answer = notify(client, "pay", fields(payment, Amount="12990"))
    # then
    assert code_of(answer) == 0
    payment.refresh_from_db()
    order = Order.objects.get(pk=payment.order_id)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_transaction_id == "3000000001"
    assert order.status == OrderStatus.PAID and order.paid_amount == Decimal("12990.00")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["buyer@example.kz"]
    assert order.number in mail.outbox[0].subject
    # and the result page says so
    page = client.get(en_reverse("payments:result", kwargs={"token": order.access_token})).content.decode()
    assert "being assembled" in page


@pytest.mark.django_db
def test_pay3_pay_as_json_with_x_content_hmac_is_accepted(client):
    """PAY-3: the JSON notification format and the X-Content-HMAC header are accepted too."""
    payment = started(card_order())
    assert code_of(notify(client, "pay", fields(payment), as_json=True, header="X-Content-HMAC")) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


@pytest.mark.django_db
def test_pay4_a_hundred_replays_of_one_pay_change_state_once(client, django_capture_on_commit_callbacks):
    """PAY-4: the same Pay notification 100 times → one paid transition, one mail, one payment event on the order;
    every replay is logged and answered 0."""
    # given
    payment = started(card_order())
    mail.outbox.clear()
    data = fields(payment)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        codes = [code_of(notify(client, "pay", data)) for _ in range(100)]
    # then
    assert codes == [0] * 100
    order = Order.objects.get(pk=payment.order_id)
    assert order.status == OrderStatus.PAID and order.paid_amount == Decimal("12990.00")
    assert len(mail.outbox) == 1
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT).count() == 1
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.STATUS, to_status=OrderStatus.PAID).count() == 1
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.NOTIFICATION).count() == 100
    assert not PaymentRefund.objects.exists()


@pytest.mark.django_db
def test_pay3_forged_or_unsigned_pay_is_403_logged_unverified_and_changes_nothing(client):
    """PAY-3: a wrong signature, another key's signature, a tampered body or no signature → 403, nothing
    changes, and each attempt is logged as unverified."""
    # given
    payment = started(card_order())
    data = fields(payment)
    good_body = urlencode(data).encode()
    # when
    answers = [
        notify(client, "pay", data, signature="AAAA"),
        notify(client, "pay", data, secret="not-the-secret"),
        notify(client, "pay", fields(payment, Amount="1.00"), signature=sign(good_body, SECRET)),  # tampered
        notify(client, "pay", data, header=None),
        notify(client, "check", data, header="X-Content-HMAC", signature="bogus"),
    ]
    # then
    assert [a.status_code for a in answers] == [403] * 5
    payment.refresh_from_db()
    order = Order.objects.get(pk=payment.order_id)
    assert payment.status == PaymentStatus.PENDING and order.paid_amount == 0 and order.status == OrderStatus.PLACED
    forged = PaymentEvent.objects.filter(adapter="cloudpayments", kind=PaymentEvent.Kind.NOTIFICATION)
    assert forged.count() == 5 and not any(event.verified for event in forged)
    assert all("refused" in event.outcome for event in forged)


@pytest.mark.django_db
def test_pay3_pay_with_another_amount_or_currency_is_refused_and_changes_nothing(client):
    """PAY-3: a signed Pay for a different amount or currency is refused (12); the order stays unpaid."""
    payment = started(card_order())
    assert code_of(notify(client, "pay", fields(payment, Amount="1299.00"))) == 12
    assert code_of(notify(client, "pay", fields(payment, Currency="USD"))) == 12
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert Order.objects.get(pk=payment.order_id).paid_amount == 0


@pytest.mark.django_db
def test_pay3_unknown_invoice_on_any_kind_answers_10_and_is_logged(client):
    """PAY-3: notifications for an invoice we never issued: answered 10 (never a 500), logged."""
    for kind in ("check", "pay", "fail", "refund", "confirm", "cancel"):
        assert code_of(notify(client, kind, {"InvoiceId": "4242", "Amount": "10", "TransactionId": "1"})) == 10
    assert code_of(notify(client, "pay", {"nothing": "here"})) == 10
    assert PaymentEvent.objects.filter(outcome__contains="unknown invoice").count() == 7


@pytest.mark.django_db
def test_pay3_unknown_kind_and_get_are_refused_without_500(client):
    """PAY-3: a kind we do not serve is 404, a GET is 405 — logged, never a 500."""
    payment = started(card_order())
    assert notify(client, "bogus", fields(payment)).status_code == 404
    assert client.get("/payments/notify/cloudpayments/pay/").status_code == 405


@pytest.mark.django_db
def test_pay4_pay_for_a_cancelled_order_is_refunded_automatically_through_the_sandbox_and_support_alerted(
    client, django_capture_on_commit_callbacks
):
    """PAY-4: money that arrives after the order was cancelled is refunded through the provider's API at once
    (the sandbox transaction is refunded, the refund recorded once) and support is alerted."""
    # given: the customer passed Check, then the order was cancelled before the Pay arrived
    payment = started(card_order())
    tx = sandbox_paid(payment)
    fulfilment.cancel_order(order=payment.order, actor=None, reason="customer changed their mind")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        answer = notify(client, "pay", fields(payment))
    # then
    assert code_of(answer) == 0
    payment.refresh_from_db()
    tx.refresh_from_db()
    refund = PaymentRefund.objects.get()
    assert refund.status == PaymentRefund.Status.SUCCEEDED and refund.amount == Decimal("12990.00")
    assert refund.reason == PaymentRefund.Reason.CANCELLED_ORDER and refund.provider_refund_id
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == Decimal("12990.00")
    assert tx.refunded == Decimal("12990.00") and tx.status == "Refunded"
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.ALERT).count() == 1
    order = Order.objects.get(pk=payment.order_id)
    assert order.status == OrderStatus.CANCELLED and order.paid_amount == 0
    # a replay of the same Pay refunds nothing more
    assert code_of(notify(client, "pay", fields(payment))) == 0
    assert PaymentRefund.objects.count() == 1


# --- Fail ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pay5_fail_records_the_decline_in_plain_words_and_the_result_page_offers_a_retry(client):
    """PAY-5: a Fail with ReasonCode 5051 → the attempt is declined with "not enough money" words; the result page
    shows them with "Try again" and "choose another method"."""
    # given
    payment = started(card_order(language="en"))
    # when
    answer = notify(client, "fail", fields(payment, Status="Declined", Reason="InsufficientFunds", ReasonCode="5051"))
    # then
    assert code_of(answer) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.decline_code == "5051"
    with translation.override("en"):
        assert payment.decline_message == decline_message("5051")  # in the order's language, English here
    page = client.get(en_reverse("payments:result", kwargs={"token": payment.order.access_token})).content.decode()
    assert "not have enough money" in page and "Try again" in page and "Choose another payment method" in page


@pytest.mark.django_db
def test_pay4_a_late_fail_after_pay_changes_nothing(client):
    """PAY-4: a Fail that arrives after the Pay (out of order) does not undo the payment."""
    payment = started(card_order())
    assert code_of(notify(client, "pay", fields(payment))) == 0
    assert code_of(notify(client, "fail", fields(payment, ReasonCode="5051"))) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.decline_code == ""


# --- Refunds (PAY-7) -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pay7_partial_then_full_refund_through_the_api(client):
    """PAY-7: 3 000 then the remaining 9 990 go back through POST /payments/refund (Basic auth); the payment ends
    fully refunded, the sandbox agrees, and a third refund is refused."""
    # given
    payment = started(card_order())
    assert code_of(notify(client, "pay", fields(payment))) == 0
    tx = sandbox_paid(payment)
    payment.refresh_from_db()
    # when
    first = services.refund(payment=payment, amount=Decimal("3000"), reason=PaymentRefund.Reason.REFUND_DUE, key="r1")
    second = services.refund(payment=payment, amount=Decimal("9990"), reason=PaymentRefund.Reason.REFUND_DUE, key="r2")
    # then
    assert first.status == second.status == PaymentRefund.Status.SUCCEEDED
    assert first.provider_refund_id and first.provider_refund_id != second.provider_refund_id
    payment.refresh_from_db()
    tx.refresh_from_db()
    assert payment.refunded_amount == Decimal("12990.00") and payment.status == PaymentStatus.REFUNDED
    assert tx.refunded == Decimal("12990.00") and len(tx.data["refunds"]) == 2
    with pytest.raises(services.PaymentError):
        services.refund(payment=payment, amount=Decimal("1"), reason=PaymentRefund.Reason.REFUND_DUE, key="r3")


@pytest.mark.django_db
def test_pay4_pay7_the_refund_notification_for_our_own_refund_does_not_count_twice(client):
    """PAY-4/PAY-7: the provider's Refund notification (sent by the sandbox, and replayed) for a refund we made
    completes it once: the refunded amount is counted once."""
    # given: a partial refund we sent (the sandbox also posted its Refund notification)
    payment = started(card_order())
    assert code_of(notify(client, "pay", fields(payment))) == 0
    sandbox_paid(payment)
    payment.refresh_from_db()
    refund = services.refund(payment=payment, amount=Decimal("2000"), reason=PaymentRefund.Reason.REFUND_DUE, key="k")
    # when: the Refund notification comes again (a provider retry)
    replay = {
        "TransactionId": refund.provider_refund_id,
        "PaymentTransactionId": "3000000001",
        "Amount": "2000.00",
        "OperationType": "Refund",
        "InvoiceId": payment.invoice_id,
    }
    codes = [code_of(notify(client, "refund", replay)) for _ in range(3)]
    # then
    assert codes == [0, 0, 0]
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("2000.00") and payment.status == PaymentStatus.SUCCEEDED
    assert PaymentRefund.objects.count() == 1
    # the sandbox's own notification and the three replays were all logged as verified
    assert (
        PaymentEvent.objects.filter(payment=payment, verified=True, outcome__startswith="refund: refund 2000").count()
        == 4
    )


@pytest.mark.django_db
def test_pay7_a_refund_made_in_the_provider_cabinet_is_recorded_once_and_alerted(client):
    """PAY-7: a Refund notification we did not ask for is recorded once (by its id) and support is alerted."""
    payment = started(card_order())
    assert code_of(notify(client, "pay", fields(payment))) == 0
    data = {"TransactionId": "555", "PaymentTransactionId": "3000000001", "Amount": "1000", "InvoiceId": ""}
    assert [code_of(notify(client, "refund", data)) for _ in range(2)] == [0, 0]
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("1000.00")
    assert PaymentRefund.objects.get().reason == PaymentRefund.Reason.PROVIDER
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.ALERT).count() == 1


@pytest.mark.django_db
def test_pay7_sandbox_api_refuses_wrong_basic_auth_and_too_much(client):
    """PAY-7/PAY-6: the sandbox API checks HTTP Basic (public id : API secret) and never refunds beyond the
    payment."""
    payment = started(card_order())
    sandbox_paid(payment)
    url = "/payments/sandbox/cloudpayments/api/payments/refund"
    body = {"TransactionId": 3000000001, "Amount": 100}
    wrong = client.post(url, body, content_type="application/json", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert wrong.status_code == 401
    import base64

    auth = "Basic " + base64.b64encode(f"pk_sandbox_public_id:{SECRET}".encode()).decode()
    too_much = client.post(
        url,
        {"TransactionId": 3000000001, "Amount": 99999},
        content_type="application/json",
        headers={"Authorization": auth},
    )
    assert too_much.json()["Success"] is False
    assert SandboxTransaction.objects.get().refunded == 0


@pytest.mark.django_db
def test_pay3_fetch_status_reads_the_sandbox_find_api(client):
    """PAY-3: fetch_status asks POST /payments/find; a Completed transaction reads as PAID with its amount."""
    payment = started(card_order())
    adapter = get_adapter("cloudpayments")
    assert adapter.fetch_status(payment).state == "waiting"  # nothing at the provider yet
    sandbox_paid(payment, key="3000000009")
    status = adapter.fetch_status(payment)
    assert status.state == PAID and status.amount == Decimal("12990") and status.transaction_id == "3000000009"


# --- The sandbox card form, through the test client (PAY-6, PAY-2) ---------------------------------------------------


def form_data(payment, card, **extra):
    data = {
        "publicId": "pk_sandbox_public_id",
        "description": "Order",
        "amount": f"{payment.amount:.2f}",
        "currency": "KZT",
        "invoiceId": payment.invoice_id,
        "accountId": "buyer@example.kz",
        "email": "buyer@example.kz",
        "language": "en-US",
        "card_number": card,
        "expiry": "12/39",
        "cvc": "123",
    }
    data.update(extra)
    return data


FORM = "/payments/sandbox/cloudpayments/form/"


@pytest.mark.django_db
def test_pay6_sandbox_good_card_sends_signed_check_then_pay_and_never_keeps_the_card(client):
    """PAY-6/PAY-2: the stand-in posts a signed Check then a signed Pay (form-encoded, CloudPayments' fields); the
    order is paid; the card number, expiry and CVC are in no event, no sandbox record."""
    # given
    payment = started(card_order())
    page = client.get(FORM, {k: v for k, v in form_data(payment, "").items() if k not in ("card_number",)})
    assert page.status_code == 200 and "4242 4242 4242 4242" in page.content.decode()
    # when
    done = client.post(FORM, form_data(payment, CARDS["ok"]))
    # then
    assert done.status_code == 200 and 'data-cp-sandbox-result="success"' in done.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.PAID
    notes = list(PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.NOTIFICATION).order_by("id"))
    assert [n.outcome.split(":")[0] for n in notes] == ["check", "pay"] and all(n.verified for n in notes)
    assert "Content-Hmac" in notes[1].headers and "X-Content-Hmac" in notes[1].headers
    assert "OperationType=Payment" in notes[1].payload and "CardLastFour=4242" in notes[1].payload
    stored = " ".join(n.payload for n in PaymentEvent.objects.all()) + str(SandboxTransaction.objects.get().data)
    assert "4242424242424242" not in stored and "12/39" not in stored and "12%2F39" not in stored
    assert "cvc" not in stored.lower()


@pytest.mark.django_db
def test_pay5_pay6_sandbox_insufficient_funds_card_sends_fail_with_reason_code(client):
    """PAY-5/PAY-6: the 5051 test card is declined: a signed Fail with ReasonCode 5051; then "Try again" with the
    good card on a new attempt pays the order."""
    # given
    order = card_order()
    payment = started(order)
    # when
    done = client.post(FORM, form_data(payment, CARDS["funds"]))
    # then
    assert 'data-cp-sandbox-result="fail"' in done.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.decline_code == "5051"
    fail = PaymentEvent.objects.filter(payment=payment, outcome__startswith="fail").get()
    assert "ReasonCode=5051" in fail.payload and "Reason=InsufficientFunds" in fail.payload
    # and a retry (a new attempt, a new invoice) with the good card pays
    retry = client.post(en_reverse("payments:pay", kwargs={"token": order.access_token}))
    assert retry.status_code == 200
    second = order.payments.order_by("-id").first()
    assert second.invoice_id != payment.invoice_id and second.status == PaymentStatus.PENDING
    client.post(FORM, form_data(second, CARDS["ok"]))
    second.refresh_from_db()
    assert second.status == PaymentStatus.SUCCEEDED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


@pytest.mark.django_db
def test_pay6_sandbox_3ds_card_confirm_pays_and_fail_declines_with_5206(client):
    """PAY-6: the 3-D Secure card shows the bank's page; Confirm pays; on another attempt Fail declines (5206)."""
    # given
    order = card_order()
    payment = started(order)
    # when: the card needs 3-D Secure
    bank = client.post(FORM, form_data(payment, CARDS["3ds"]))
    # then: the bank page, nothing paid yet
    assert "3-D Secure" in bank.content.decode()
    tx = SandboxTransaction.objects.get(invoice_id=payment.invoice_id)
    assert tx.status == "AwaitingAuth"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    # when: Fail on the bank's page
    client.post(f"/payments/sandbox/cloudpayments/3ds/{tx.key}/", {"action": "fail"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.decline_code == "5206"
    # when: a new attempt, Confirm on the bank's page (pressed twice)
    client.post(en_reverse("payments:pay", kwargs={"token": order.access_token}))
    second = order.payments.order_by("-id").first()
    client.post(FORM, form_data(second, CARDS["3ds"]))
    tx2 = SandboxTransaction.objects.get(invoice_id=second.invoice_id)
    client.post(f"/payments/sandbox/cloudpayments/3ds/{tx2.key}/", {"action": "confirm"})
    client.post(f"/payments/sandbox/cloudpayments/3ds/{tx2.key}/", {"action": "confirm"})
    # then
    second.refresh_from_db()
    assert second.status == PaymentStatus.SUCCEEDED
    assert PaymentEvent.objects.filter(payment=second, outcome__startswith="pay").count() == 1


@pytest.mark.django_db
def test_pay6_sandbox_stops_when_check_is_refused(client):
    """PAY-6/PAY-4: if our Check answers non-zero (order cancelled: 13) the stand-in shows the refusal and posts
    nothing more: no sandbox charge, no Pay."""
    payment = started(card_order())
    fulfilment.cancel_order(order=payment.order, actor=None, reason="test")
    done = client.post(FORM, form_data(payment, CARDS["ok"]))
    assert 'data-cp-sandbox-result="fail"' in done.content.decode() and "code 13" in done.content.decode()
    assert not SandboxTransaction.objects.exists()
    assert not PaymentEvent.objects.filter(payment=payment, outcome__startswith="pay").exists()


@pytest.mark.django_db
def test_pay6_sandbox_form_validates_the_card_and_refuses_an_unknown_public_id(client):
    """PAY-6: a bad number, a past expiry or a short CVC are shown on the form (no notification); a wrong publicId
    is refused."""
    payment = started(card_order())
    bad = client.post(FORM, form_data(payment, "4242 4242 4242 4241", expiry="01/20", cvc="1"))
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "not valid" in html and "expired" in html and 'aria-invalid="true"' in html
    assert not PaymentEvent.objects.filter(kind=PaymentEvent.Kind.NOTIFICATION).exists()
    assert (
        client.get(FORM, {"publicId": "pk_other", "amount": "1", "invoiceId": "1", "currency": "KZT"}).status_code
        == 400
    )


@pytest.mark.django_db
def test_pay6_sandbox_is_not_served_when_off(client, settings):
    """PAY-6: with the sandbox off, its views answer 404."""
    settings.SHOP_PAYMENT_SANDBOX = False
    assert client.get("/payments/sandbox/cloudpayments/widget.js").status_code == 404


@pytest.mark.django_db
def test_pay6_widget_script_defines_cp_cloudpayments(client):
    """PAY-6: CLOUDPAYMENTS_WIDGET_URL serves the stand-in defining window.cp.CloudPayments with pay/charge."""
    script = client.get("/payments/sandbox/cloudpayments/widget.js")
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    text = script.content.decode()
    assert "window.cp.CloudPayments" in text and "prototype.pay" in text and "prototype.charge" in text


# --- Concurrency (PAY-4) ---------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pay4_twenty_concurrent_duplicate_pays_change_state_once():
    """PAY-4: 20 copies of one Pay at the same instant, each on its own connection → one paid transition, one
    mail, one payment event on the order; every copy is answered 0, no deadlock, no error."""
    # given
    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    payment = started(card_order(f.delivery_setup(city_name="Алматы")))
    mail.outbox.clear()
    body = urlencode(fields(payment)).encode()
    signature = sign(body, SECRET)

    def post():
        response = Client().post(
            "/payments/notify/cloudpayments/pay/",
            data=body,
            content_type="application/x-www-form-urlencoded",
            headers={"Content-HMAC": signature},
        )
        return response.status_code, response.json()

    # when
    answers, crashed = run_together([post] * 20)
    # then
    assert crashed == []
    assert answers == [(200, {"code": 0})] * 20
    order = Order.objects.get(pk=payment.order_id)
    assert order.status == OrderStatus.PAID and order.paid_amount == Decimal("12990.00")
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT).count() == 1
    assert len([m for m in mail.outbox if order.number in m.subject]) == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.NOTIFICATION).count() == 20


@pytest.mark.django_db
def test_pay6_payment_and_sandbox_pages_are_valid_html5(client):
    """PAY-6: the widget partial on our payment page and the sandbox's form, bank and result pages parse as
    valid HTML5 (html5lib strict), with labelled fields."""
    import html5lib

    # given
    order = card_order()
    pages = [client.get(en_reverse("payments:pay", kwargs={"token": order.access_token}))]
    payment = order.payments.get()
    options = {k: v for k, v in form_data(payment, "").items() if k not in ("card_number", "expiry", "cvc")}
    # when
    pages.append(client.get(FORM, options))
    pages.append(client.post(FORM, form_data(payment, "1234", expiry="x", cvc="")))
    pages.append(client.post(FORM, form_data(payment, CARDS["3ds"])))
    key = SandboxTransaction.objects.get().key
    pages.append(client.post(f"/payments/sandbox/cloudpayments/3ds/{key}/", {"action": "confirm"}))
    # then
    for response in pages:
        html5lib.HTMLParser(strict=True).parse(response.content.decode())
    assert '<label for="id_card_number">' in pages[1].content.decode()
    assert pages[1]["X-Frame-Options"] == "SAMEORIGIN"  # the widget's frame may show it, other sites may not


@pytest.mark.django_db
def test_pay5_the_decline_reason_is_written_in_the_language_the_customer_ordered_in(client):
    """PAY-5: the provider's callback carries no language; the reason is stored in the order's (Kazakh here)."""
    payment = started(card_order(language="kk"))
    notify(client, "fail", fields(payment, Status="Declined", Reason="InsufficientFunds", ReasonCode="5051"))
    payment.refresh_from_db()
    with translation.override("kk"):
        assert payment.decline_message == decline_message("5051")
    with translation.override("en"):
        assert payment.decline_message != decline_message("5051")
