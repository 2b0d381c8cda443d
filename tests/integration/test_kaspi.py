"""Kaspi Pay against the real Postgres and its sandbox (PAY-1, PAY-4..7): the invoice sent to a phone, the app's Pay
and Decline, the poller with back-off, "check now", expiry, refunds, and money that arrives too late."""

from datetime import timedelta
from decimal import Decimal

import html5lib
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from orders.models import Order, OrderEvent, OrderStatus
from payments import policy, services, transport
from payments.adapters.kaspi import KaspiPay
from payments.models import Payment, PaymentEvent, PaymentRefund, PaymentStatus
from payments.sandbox.models import SandboxTransaction
from tests import factories as f
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db

PHONE = "+77011234567"
NO_ACCOUNT_PHONE = "+77011230000"


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture
def order(setup):
    return f.placed_order(setup, payment_method="kaspi", items=(("12490.00", 2),))


def pay_url(order):
    return reverse("payments:pay", kwargs={"token": order.access_token})


def result_url(order):
    return reverse("payments:result", kwargs={"token": order.access_token})


def send_invoice(client, order, phone=PHONE):
    response = client.post(pay_url(order), {"phone": phone})
    assert response.status_code == 302 and response["Location"].endswith(result_url(order)), response
    return order.payments.order_by("-id").first()


def press_in_app(client, payment, decision):
    response = client.post(f"/payments/sandbox/kaspi/app/{payment.provider_payment_id}/", {"decision": decision})
    assert response.status_code == 302
    return SandboxTransaction.objects.get(provider="kaspi", key=payment.provider_payment_id)


def paid_transitions(order):
    return OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT).count()


def customer_mails(order):
    return [m for m in mail.outbox if order.email in m.to]


def later(payment, seconds=1):
    return payment.next_check_at + timedelta(seconds=seconds)


# --- Sending the invoice ----------------------------------------------------------------------------------------


def test_pay1_invoice_goes_to_kaspi_with_device_token_bin_phone_and_amount(client, order, monkeypatch, settings):
    """PAY-1: remote/create carries DeviceToken, OrganizationBin, the ten-digit phone, the amount as a number and the
    order in the comment; the attempt waits with Kaspi's QrPaymentId and a first check due in 5 seconds."""
    # given: a spy on the transport (the sandbox still answers)
    calls = []
    real_send = transport.send

    def spy(method, url, **kwargs):
        calls.append((method, url, kwargs))
        return real_send(method, url, **kwargs)

    monkeypatch.setattr(transport, "send", spy)
    before = timezone.now()

    # when: the customer sends the invoice to their phone from the payment page
    payment = send_invoice(client, order, phone="8 701 123 45 67")

    # then: one call with the shop's credentials and the invoice's fields
    ((method, url, kwargs),) = calls
    assert method == "POST" and url == f"{settings.KASPI_API_URL}/remote/create"
    assert kwargs["json"] == {
        "Amount": 24980 + int(order.delivery_cost),
        "PhoneNumber": "7011234567",
        "Comment": f"Заказ {order.number}",  # in the order's language (Russian here), as the app shows it
        "DeviceToken": settings.KASPI_DEVICE_TOKEN,
        "OrganizationBin": settings.KASPI_ORGANIZATION_BIN,
    }
    assert kwargs["client_cert"] is None  # no certificate configured for the sandbox
    # and the sandbox holds the invoice for that phone, waiting
    tx = SandboxTransaction.objects.get(provider="kaspi")
    assert tx.status == "Wait" and tx.amount == order.total and tx.data["PhoneNumber"] == "7011234567"
    assert tx.data["Comment"] == f"Заказ {order.number}"
    # and our attempt waits for it, keyed by the QrPaymentId, first check per the back-off policy
    assert payment.status == PaymentStatus.PENDING and payment.phone == PHONE
    assert payment.provider_payment_id == tx.key
    assert before + policy.next_check_delay(0) <= payment.next_check_at <= timezone.now() + policy.next_check_delay(0)
    assert payment.events.filter(kind=PaymentEvent.Kind.CALL, outcome="invoice sent").exists()


def test_pay1_client_certificate_is_sent_when_configured(order, monkeypatch, settings):
    """PAY-1: Kaspi's API takes only mutual-TLS calls: the certificate and key paths go to the transport."""
    # given
    settings.KASPI_CLIENT_CERT, settings.KASPI_CLIENT_KEY = "/etc/kaspi/cert.pem", "/etc/kaspi/key.pem"
    seen = []
    real_send = transport.send
    monkeypatch.setattr(transport, "send", lambda m, u, **kw: seen.append(kw["client_cert"]) or real_send(m, u, **kw))
    payment = services.current_attempt(order=order, phone=PHONE, new=True)
    # when
    services.start(payment=payment)
    # then
    assert seen == [("/etc/kaspi/cert.pem", "/etc/kaspi/key.pem")]


def test_pay1_result_page_says_open_kaspi_and_links_the_sandbox_app(client, order):
    """PAY-1/PAY-6: while waiting the customer reads "open Kaspi and pay the invoice sent to +7…", gets the
    "check now" button and, in the sandbox, a link to the Kaspi-app stand-in for that phone. Valid HTML5."""
    # given
    send_invoice(client, order)
    # when
    with translation.override("en"):
        response = client.get(reverse("payments:result", kwargs={"token": order.access_token}))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open the Kaspi app and pay the invoice sent to +7 701 123 4567" in html
    assert "I have paid — check now" in html
    assert "Open the Kaspi app (sandbox)" in html and "/payments/sandbox/kaspi/app/?phone=%2B77011234567" in html
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")


def test_pay1_without_sandbox_the_waiting_page_gives_the_kaspi_app_hint(client, order, settings):
    """PAY-1: in production there is no stand-in link, only where to find the invoice in Kaspi.kz."""
    # given: an invoice sent, then the sandbox switched off (as in production)
    send_invoice(client, order)
    settings.SHOP_PAYMENT_SANDBOX = False
    # when
    with translation.override("en"):
        html = client.get(reverse("payments:result", kwargs={"token": order.access_token})).content.decode()
    # then
    assert "Open the Kaspi app (sandbox)" not in html and "Payments → Invoices" in html


def test_pay5_phone_without_kaspi_account_is_told_plainly_and_nothing_waits(client, order):
    """PAY-5: Kaspi refuses a number with no account (sandbox: ends in 0000): the page says so in plain words,
    offers the phone form again, and no attempt is left waiting or polled."""
    # when
    with translation.override("en"):
        response = client.post(
            reverse("payments:pay", kwargs={"token": order.access_token}), {"phone": "+7 701 123 0000"}
        )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f"the number {NO_ACCOUNT_PHONE} has no Kaspi account" in html
    assert 'name="phone"' in html and "Send the invoice to Kaspi" in html
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")
    payment = order.payments.get()
    assert payment.status == PaymentStatus.FAILED and payment.provider_payment_id == ""
    assert payment.next_check_at is None and payment.decline_code == "-1"
    assert not SandboxTransaction.objects.filter(provider="kaspi").exists()
    assert not Payment.objects.filter(status=PaymentStatus.PENDING).exists()
    assert payment.events.filter(kind=PaymentEvent.Kind.CALL, outcome__contains="-1").exists()
    # and another number works from the same page
    assert send_invoice(client, order).status == PaymentStatus.PENDING


def test_pay3_garbled_kaspi_answer_says_service_unavailable_without_500(client, order, monkeypatch):
    """PAY-3: an answer that is not Kaspi's envelope is never taken for an invoice; the customer is told to retry."""
    # given: "Kaspi" answers with an HTML error page
    monkeypatch.setattr(transport, "send", lambda *a, **kw: transport.Response(502, b"<html>Bad gateway</html>"))
    # when
    response = client.post(reverse("payments:pay", kwargs={"token": order.access_token}), {"phone": PHONE})
    # then
    assert response.status_code == 302
    assert not Payment.objects.filter(status=PaymentStatus.PENDING).exists()


# --- The sandbox API ---------------------------------------------------------------------------------------------


def test_pay6_sandbox_refuses_wrong_device_token_or_bin_and_bad_requests(client, settings):
    """PAY-6: the stand-in checks the shop's DeviceToken and OrganizationBin like Kaspi, and never answers 500."""
    url = "/payments/sandbox/kaspi/qr/remote/create"
    good = {
        "Amount": 100,
        "PhoneNumber": "7011234567",
        "Comment": "x",
        "DeviceToken": settings.KASPI_DEVICE_TOKEN,
        "OrganizationBin": settings.KASPI_ORGANIZATION_BIN,
    }
    # when / then
    assert (
        client.post(url, {**good, "DeviceToken": "stolen"}, content_type="application/json").json()["StatusCode"]
        == -1501
    )
    assert (
        client.post(url, {**good, "OrganizationBin": "1"}, content_type="application/json").json()["StatusCode"]
        == -1501
    )
    assert client.post(url, b"not json", content_type="application/json").json()["StatusCode"] == -2
    assert client.post(url, {**good, "Amount": 0}, content_type="application/json").json()["StatusCode"] == -2
    assert client.get("/payments/sandbox/kaspi/qr/payment/status/abc").json()["StatusCode"] == -1601
    assert client.get("/payments/sandbox/kaspi/qr/payment/status/123").json()["StatusCode"] == -1601
    created = client.post(url, good, content_type="application/json").json()
    assert created["StatusCode"] == 0 and isinstance(created["Data"]["QrPaymentId"], int)
    status = client.get(f"/payments/sandbox/kaspi/qr/payment/status/{created['Data']['QrPaymentId']}").json()
    assert status == {
        "StatusCode": 0,
        "Message": "",
        "Data": {"Status": "Wait", "QrPaymentId": created["Data"]["QrPaymentId"], "Amount": 100},
    }
    assert not SandboxTransaction.objects.filter(provider="kaspi").exclude(status="Wait").exists()


def test_pay6_sandbox_is_gone_when_switched_off(client, settings):
    """PAY-6: refused outside the sandbox (production)."""
    settings.SHOP_PAYMENT_SANDBOX = False
    assert client.get("/payments/sandbox/kaspi/app/?phone=%2B77011234567").status_code == 404
    assert client.get("/payments/sandbox/kaspi/qr/payment/status/1").status_code == 404


def test_pay6_kaspi_app_lists_the_phones_open_invoices_with_pay_and_decline(client, order, setup):
    """PAY-6: the stand-in app shows that phone's waiting invoices (amount, shop comment), not other phones'."""
    # given: an invoice for our phone and one for another
    send_invoice(client, order)
    other = f.placed_order(setup, payment_method="kaspi")
    send_invoice(client, other, phone="+7 777 000 11 22")
    # when
    response = client.get("/payments/sandbox/kaspi/app/", {"phone": "8 701 123 45 67", "back": "/en/"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Заказ {order.number}" in html and f"Заказ {other.number}" not in html  # the comment, in Russian
    assert str(int(order.total)) in html.replace(" ", "").replace("\u00a0", "")
    assert 'value="pay"' in html and 'value="decline"' in html and "csrfmiddlewaretoken" in html
    assert 'href="/en/"' in html  # back to the shop
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")
    # and a foreign "back" address is not offered
    foreign = client.get("/payments/sandbox/kaspi/app/", {"phone": PHONE, "back": "https://evil.example/"})
    assert 'href="https://evil.example/"' not in foreign.content.decode()
    assert 'name="back"' not in foreign.content.decode()


# --- Polling -----------------------------------------------------------------------------------------------------


def test_pay4_poller_backs_off_while_the_invoice_waits(client, order):
    """PAY-4: the poller asks only when a check is due, then waits longer each time (payments.policy)."""
    # given: a waiting invoice
    payment = send_invoice(client, order)
    now = payment.next_check_at
    # when / then: each due poll asks once and schedules the next ask per the back-off
    for made in range(1, 8):
        assert services.poll_open_payments(now=now) == 1
        payment.refresh_from_db()
        assert payment.checks_made == made and payment.status == PaymentStatus.PENDING
        assert payment.next_check_at == now + policy.next_check_delay(made)
        # not due yet: nobody is asked
        assert services.poll_open_payments(now=payment.next_check_at - timedelta(seconds=1)) == 0
        now = payment.next_check_at
    assert payment.events.filter(kind=PaymentEvent.Kind.STATUS, outcome="waiting").count() == 7


def test_pay4_invoice_paid_in_the_app_is_found_by_the_poller_once_100_polls_one_transition_one_mail(
    client, order, django_capture_on_commit_callbacks
):
    """PAY-4/ORD-7: Pay in the Kaspi app → the poller marks the order paid; 100 polls and 100 "check now" on a
    stale copy → still one paid transition and one "being assembled" mail."""
    # given: the invoice is paid in the app
    payment = send_invoice(client, order)
    stale = Payment.objects.get(pk=payment.pk)
    tx = press_in_app(client, payment, "pay")
    assert tx.status == "Processed"
    mail.outbox.clear()
    # when: the poller runs 100 times, and "check now" is pressed 100 times on a copy that still says pending
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(100):
            services.poll_open_payments(now=later(payment))
        for _ in range(100):
            services.check_now(stale)
    # then
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_transaction_id == tx.data["TransactionId"]
    assert order.paid_amount == order.total and order.status == OrderStatus.PAID
    assert paid_transitions(order) == 1
    assert len(customer_mails(order)) == 1
    assert not PaymentRefund.objects.exists()


def test_pay4_check_now_button_asks_kaspi_at_once(client, order):
    """PAY-4: "I have paid — check now" on the result page asks Kaspi without waiting for the poller."""
    # given
    payment = send_invoice(client, order)
    press_in_app(client, payment, "pay")
    # when
    response = client.post(result_url(order))
    # then
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.paid_amount == order.total
    with translation.override("en"):
        assert "Paid:" in client.get(result_url(order)).content.decode()


def test_pay3_kaspi_reporting_another_amount_is_refused(client, order, monkeypatch):
    """PAY-3: a Processed status with an amount other than the invoice's pays nothing."""
    # given: a paid invoice whose status answer carries a different amount
    payment = send_invoice(client, order)
    tx = press_in_app(client, payment, "pay")
    SandboxTransaction.objects.filter(pk=tx.pk).update(amount=Decimal("1.00"))
    # when
    outcome = services.check_now(payment)
    # then
    assert outcome.code == services.WRONG_AMOUNT
    order.refresh_from_db()
    assert order.paid_amount == 0 and paid_transitions(order) == 0


def test_pay5_declined_in_the_app_shows_the_reason_and_a_retry_sends_a_new_invoice(client, order):
    """PAY-5: Decline in the app → the poller records a plain-words reason; "Try again" creates a new attempt and
    a new Kaspi invoice, which can then be paid."""
    # given: the invoice is declined in the app and the poller reads it
    first = send_invoice(client, order)
    press_in_app(client, first, "decline")
    services.poll_open_payments(now=later(first))
    first.refresh_from_db()
    assert first.status == PaymentStatus.FAILED and first.decline_code == "Error"
    assert "отклонён или отменён в приложении Kaspi" in first.decline_message  # the order's language: Russian
    html = client.get(result_url(order)).content.decode()
    assert first.decline_message in html or "Kaspi" in html
    assert "payment-retry" in html
    # when: the customer tries again (the result page's form posts the same phone)
    second = send_invoice(client, order, phone=first.phone)
    # then: a new attempt, a new invoice at Kaspi
    assert second.pk != first.pk and second.invoice_id != first.invoice_id
    assert second.provider_payment_id and second.provider_payment_id != first.provider_payment_id
    press_in_app(client, second, "pay")
    services.check_now(second)
    order.refresh_from_db()
    assert order.paid_amount == order.total and paid_transitions(order) == 1


def test_pay5_decline_message_is_in_the_orders_language(client, setup):
    """PAY-5: the poller runs in no language; the stored reason is written in the customer's."""
    # given
    order = f.placed_order(setup, payment_method="kaspi", language="en")
    payment = send_invoice(client, order)
    press_in_app(client, payment, "decline")
    # when
    with translation.override("ru"):
        services.check_now(payment)
    # then
    payment.refresh_from_db()
    assert payment.decline_message.startswith("The invoice was declined")


# --- Refunds (PAY-7) ---------------------------------------------------------------------------------------------


@pytest.fixture
def paid(client, order):
    payment = send_invoice(client, order)
    press_in_app(client, payment, "pay")
    services.check_now(payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    return payment


def test_pay7_partial_then_full_refund_through_kaspi(paid):
    """PAY-7: payment/return takes part of the money, then the rest; never more than was paid."""
    tx = SandboxTransaction.objects.get(provider="kaspi", key=paid.provider_payment_id)
    # when: part
    first = services.refund(payment=paid, amount=Decimal("3000"), reason=PaymentRefund.Reason.REFUND_DUE, key="a")
    # then
    paid.refresh_from_db()
    tx.refresh_from_db()
    assert first.status == PaymentRefund.Status.SUCCEEDED and first.provider_refund_id
    assert paid.refunded_amount == Decimal("3000") and paid.status == PaymentStatus.SUCCEEDED
    assert tx.refunded == Decimal("3000")
    # when: the rest
    rest = paid.amount - Decimal("3000")
    second = services.refund(payment=paid, amount=rest, reason=PaymentRefund.Reason.REFUND_DUE, key="b")
    # then
    paid.refresh_from_db()
    tx.refresh_from_db()
    assert second.status == PaymentRefund.Status.SUCCEEDED and second.provider_refund_id != first.provider_refund_id
    assert paid.status == PaymentStatus.REFUNDED and paid.refunded_amount == paid.amount == tx.refunded
    # and a third is refused before Kaspi is asked
    with pytest.raises(services.PaymentError):
        services.refund(payment=paid, amount=Decimal("1"), reason=PaymentRefund.Reason.REFUND_DUE, key="c")
    assert tx.refunded == paid.amount


def test_pay7_kaspi_refusing_a_return_is_recorded_as_failed(client, order):
    """PAY-7: Kaspi says no (the invoice was never paid): RefundResult not ok, with Kaspi's reason."""
    # given: a waiting invoice (not Processed)
    payment = send_invoice(client, order)
    refund = PaymentRefund(pk=1, payment=payment, amount=Decimal("100"))
    # when
    result = KaspiPay().refund(payment, Decimal("100"), refund)
    # then
    assert result.ok is False and "-1602" in result.message


# --- Expiry and late money ---------------------------------------------------------------------------------------


def _variant_stock(order):
    line = order.lines.select_related("variant").get()
    line.variant.refresh_from_db()
    return line.variant.stock, line.quantity


def test_pay4_unpaid_invoice_expires_releases_stock_and_cancels_the_payment(client, order, settings):
    """PAY-4: after SHOP_PAYMENT_TIMEOUT_MINUTES Kaspi is asked once more; still unpaid → the order is cancelled,
    its stock released and the attempt cancelled — still watched for a day, in case the invoice is paid late."""
    # given: an invoice nobody pays
    payment = send_invoice(client, order)
    stock_before, quantity = _variant_stock(order)
    # when: the sweep runs just before and just after the deadline
    deadline = order.placed_at + timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES)
    assert services.expire_unpaid_orders(now=deadline - timedelta(seconds=1)) == 0
    assert services.expire_unpaid_orders(now=deadline + timedelta(seconds=1)) == 1
    # then
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert _variant_stock(order)[0] == stock_before + quantity
    assert payment.status == PaymentStatus.CANCELLED and payment.next_check_at is not None
    assert payment.checks_made == 1  # asked once more before cancelling
    assert payment.events.filter(kind=PaymentEvent.Kind.EXPIRED).count() == 1
    assert services.poll_open_payments(now=deadline + timedelta(hours=1)) == 1  # late money would still be found
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert services.poll_open_payments(now=deadline + timedelta(hours=25)) == 0  # not watched for ever


def test_pay4_invoice_paid_at_the_last_minute_is_taken_by_the_expiry_sweep(client, order, settings):
    """PAY-4: paid just before the sweep: the sweep's last question finds it, the order is paid, not cancelled."""
    # given
    payment = send_invoice(client, order)
    press_in_app(client, payment, "pay")
    # when
    deadline = order.placed_at + timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES)
    assert services.expire_unpaid_orders(now=deadline + timedelta(seconds=1)) == 0
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_amount == order.total
    assert not PaymentRefund.objects.exists()


def test_pay4_invoice_paid_after_the_order_expired_is_refunded_through_kaspi_and_support_alerted(
    client, order, settings, django_capture_on_commit_callbacks
):
    """PAY-4: the order expired and its stock went back on sale; then the customer pays the old invoice in the app.
    When Kaspi is asked about it, the money goes back through payment/return and support is alerted."""
    # given: the order expired with the invoice open
    payment = send_invoice(client, order)
    deadline = order.placed_at + timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES)
    services.expire_unpaid_orders(now=deadline + timedelta(seconds=1))
    # when: the invoice is paid in the app afterwards and Kaspi is asked about it
    tx = press_in_app(client, payment, "pay")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.check_now(payment)
        services.check_now(payment)  # asked again: nothing more happens
    # then: refunded in full at Kaspi, once; the order stays cancelled and unpaid
    assert outcome.message == "auto-refund"
    tx.refresh_from_db()
    payment.refresh_from_db()
    order.refresh_from_db()
    assert tx.refunded == payment.amount
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == payment.amount
    refund = PaymentRefund.objects.get()
    assert refund.status == PaymentRefund.Status.SUCCEEDED and refund.reason == PaymentRefund.Reason.CANCELLED_ORDER
    assert order.status == OrderStatus.CANCELLED and order.paid_amount == 0
    assert payment.events.filter(kind=PaymentEvent.Kind.ALERT).count() == 1
    assert any("support@localhost" in m.to for m in mail.outbox)


# --- Availability ------------------------------------------------------------------------------------------------


def test_pay1_kaspi_is_offered_only_with_its_keys_and_a_positive_amount(settings):
    """PAY-1: without BIN or device token (or, against the real Kaspi, the client certificate) it is not offered."""
    adapter = KaspiPay()
    assert adapter.is_available(amount=Decimal("100"), delivery_method="courier")
    assert not adapter.is_available(amount=Decimal("0"), delivery_method="courier")
    settings.KASPI_API_URL = "https://qrapi-cert-ip.kaspi.kz/r3/v01/qr"
    assert not adapter.is_available(amount=Decimal("100"), delivery_method="courier")
    settings.KASPI_CLIENT_CERT = "/etc/kaspi/cert.pem"
    assert adapter.is_available(amount=Decimal("100"), delivery_method="courier")
    settings.KASPI_DEVICE_TOKEN = ""
    assert not adapter.is_available(amount=Decimal("100"), delivery_method="courier")


# --- Concurrency ---------------------------------------------------------------------------------------------------


@pytest.mark.postgres  # row locks under real concurrency
@pytest.mark.django_db(transaction=True)
def test_pay4_ten_concurrent_check_now_give_one_transition_and_one_mail():
    """PAY-4: ten "check now" at the same instant, each in its own transaction: one paid transition, one mail."""
    # given: a paid invoice not yet seen by the shop
    from orders.models import City

    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    setup = f.delivery_setup(city_name="Алматы")
    order = f.placed_order(setup, payment_method="kaspi")
    payment = send_invoice(Client(), order)
    press_in_app(Client(), payment, "pay")
    mail.outbox.clear()

    def check():
        return services.check_now(Payment.objects.get(pk=payment.pk)).code

    # when
    outcomes, crashed = run_together([check] * 10)
    # then
    assert crashed == []
    assert outcomes.count(services.APPLIED) == 1 and outcomes.count(services.DUPLICATE) == 9
    order.refresh_from_db()
    assert order.paid_amount == order.total and paid_transitions(order) == 1
    assert len(customer_mails(order)) == 1
