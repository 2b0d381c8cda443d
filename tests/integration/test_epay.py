"""Epay (Halyk Bank) end to end against the real database and the in-process Epay sandbox (PAY-6): the OAuth token
request, the hosted page, postLink / failurePostLink callbacks authenticated by secret_hash AND a status check
(PAY-3), applied once (PAY-4), declines in plain words (PAY-5), refunds through the provider (PAY-7)."""

import json
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from orders.fulfilment import services as fulfilment
from orders.models import OrderStatus
from payments import services, transport
from payments.adapters.epay import SCOPE, Epay
from payments.models import Payment, PaymentEvent, PaymentRefund, PaymentStatus
from payments.sandbox.epay import SUCCESS_CARD, callback_payload
from payments.sandbox.models import SandboxTransaction
from tests import factories as f
from tests.payment_doubles import COD

pytestmark = pytest.mark.django_db

EPAY = "payments.adapters.epay.Epay"
POST_LINK = reverse("payments_notify:notify", kwargs={"adapter": "epay", "kind": "post"})
FAILURE_LINK = reverse("payments_notify:notify", kwargs={"adapter": "epay", "kind": "failure"})
INSUFFICIENT_FUNDS_CARD = "4405 6450 0000 0051"


def en_reverse(name, **kwargs):
    """Customer pages in English, whatever language the previous request of the test left active."""
    with translation.override("en"):
        return reverse(name, **kwargs)


@pytest.fixture(autouse=True)
def methods(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [EPAY, COD]
    # pages in English (the tests read the msgids), whatever language an earlier test's request left active
    with translation.override("en"):
        yield


@pytest.fixture
def order():
    return f.placed_order(payment_method="epay", items=(("15990.00", 1),), language="en")


@pytest.fixture
def calls(monkeypatch):
    """Every call the shop makes through the transport (the sandbox still answers it)."""
    made = []
    real = transport.send

    def spy(method, url, **kwargs):
        made.append((method, url, kwargs))
        return real(method, url, **kwargs)

    monkeypatch.setattr(transport, "send", spy)
    return made


def pay_page(client, order):
    return client.get(en_reverse("payments:pay", kwargs={"token": order.access_token}))


def start(client, order):
    """Open the payment page as the customer: a token is fetched and the halyk.pay() object rendered."""
    response = pay_page(client, order)
    assert response.status_code == 200
    payment = order.payments.order_by("-id").first()
    return payment, response.context["action"].context["payment_object"]


def pay_in_sandbox(client, payment_object, card=SUCCESS_CARD, expiry="12/30"):
    """What the browser does: halyk.pay() posts the object to the hosted page, the customer types a card."""
    fields = {
        name: (value["access_token"] if name == "auth" else "false" if value is False else value)
        for name, value in payment_object.items()
    }
    entry = client.post("/payments/sandbox/epay/pay/", fields)
    assert entry.status_code == 303, entry.content[:300]
    card_page = entry.headers["Location"]
    assert client.get(card_page).status_code == 200
    return client.post(card_page, {"number": card, "expiry": expiry, "cvc": "653"})


def sandbox_tx(payment):
    return SandboxTransaction.objects.get(provider="epay", invoice_id=payment.invoice_id)


def notify(client, payload, link=POST_LINK):
    return client.post(link, data=json.dumps(payload), content_type="application/json")


def customer_mails(order):
    return [m for m in mail.outbox if m.to == [order.email]]


# --- Starting: the token request ----------------------------------------------------------------------------------


def test_pay1_pay2_token_request_carries_invoice_amount_secret_hash_terminal_and_our_links(client, order, calls):
    """PAY-1/PAY-2: the OAuth request binds the token to this invoice; the page gets the halyk.pay() object."""
    # given: an order placed with Epay
    # when: the customer opens the payment page
    payment, payment_object = start(client, order)

    # then: one token request with Epay's form fields
    tokens = [c for c in calls if c[1].endswith("/oauth2/token")]
    assert len(tokens) == 1
    method, _url, kwargs = tokens[0]
    data = kwargs["data"]
    assert method == "POST"
    assert data["grant_type"] == "client_credentials" and data["scope"] == SCOPE
    assert data["client_id"] == "sandbox-client" and data["client_secret"] == "sandbox-client-secret"
    assert data["invoiceID"] == payment.invoice_id and len(payment.invoice_id) == 10
    assert data["amount"] == "17490" and data["currency"] == "KZT" and data["terminal"] == "sandbox-terminal"
    assert data["postLink"] == "http://testserver/payments/notify/epay/post/"
    assert data["failurePostLink"] == "http://testserver/payments/notify/epay/failure/"
    # the secret_hash is kept on the payment (and known to the bank), never shown to the browser
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and len(payment.secret_hash) >= 32
    assert data["secret_hash"] == payment.secret_hash == sandbox_tx(payment).data["secret_hash"]
    assert payment.secret_hash not in pay_page(client, order).content.decode()
    # and the halyk.pay() object names our result page, the links, the language and the token
    result = f"http://testserver{reverse('payments:result', kwargs={'token': order.access_token})}"
    assert payment_object["backLink"] == result == payment_object["failureBackLink"]
    assert payment_object["invoiceId"] == payment.invoice_id and payment_object["accountId"] == order.email
    assert payment_object["terminal"] == "sandbox-terminal" and payment_object["cardSave"] is False
    assert payment_object["auth"]["access_token"] and payment_object["language"] == "eng"
    # the call is logged with the client secret and hash masked
    logged = PaymentEvent.objects.get(payment=payment, kind=PaymentEvent.Kind.CALL)
    assert "sandbox-client-secret" not in logged.payload and payment.secret_hash not in logged.payload


def test_pay1_widget_offers_the_bank_page_button_and_a_no_javascript_note(client, order):
    """PAY-1: the payment page loads payment-api.js and a button that runs halyk.pay; without JS a clear note."""
    response = pay_page(client, order)
    html = response.content.decode()
    assert '<script src="/payments/sandbox/epay/payment-api.js" defer>' in html
    assert "Go to the bank&#x27;s payment page" in html or "Go to the bank's payment page" in html
    assert "<noscript>" in html and 'id="epay-payment"' in html
    script = client.get("/payments/sandbox/epay/payment-api.js")
    assert script.status_code == 200 and b"window.halyk.pay" in script.content


@pytest.mark.parametrize("failure", ["http_error", "unreachable"])
def test_pay1_token_failure_says_the_payment_service_does_not_answer(client, order, settings, monkeypatch, failure):
    """PAY-1: the bank's OAuth answers an error or cannot be reached → the customer is told, the order is kept."""
    # given: Epay's OAuth server answers 404, or the network fails
    if failure == "http_error":
        settings.EPAY_OAUTH_URL = "http://payments-sandbox.invalid/payments/sandbox/epay/no-such-oauth"
    else:

        def unreachable(method, url, **kwargs):
            raise transport.TransportError("connection refused")

        monkeypatch.setattr(transport, "send", unreachable)
    # when
    with translation.override("en"):
        url = en_reverse("payments:pay", kwargs={"token": order.access_token})
    response = client.get(url, follow=True)
    # then
    assert "does not answer" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and order.paid_amount == 0
    assert not order.payments.filter(status=PaymentStatus.PENDING).exists()


# --- Paying -------------------------------------------------------------------------------------------------------


def test_pay3_pay4_paid_in_sandbox_then_postlink_replayed_10_times_one_paid_transition_one_mail(
    client, order, django_capture_on_commit_callbacks
):
    """PAY-3/PAY-4: the hosted page calls postLink (secret_hash + status check CHARGE) → paid; 10 replays change
    nothing and send no second mail."""
    # given: the customer on the bank's page
    payment, payment_object = start(client, order)
    with django_capture_on_commit_callbacks(execute=True):
        # when: they pay with the success card
        back = pay_in_sandbox(client, payment_object)
        # and Epay sends the same postLink ten more times
        payload = callback_payload(sandbox_tx(payment))
        answers = [notify(client, payload) for _ in range(10)]

    # then: the browser goes back to our result page, which says paid
    assert back.status_code == 302 and back.headers["Location"] == payment_object["backLink"]
    assert all(a.status_code == 200 and a.json()["accepted"] for a in answers)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.provider_transaction_id == sandbox_tx(payment).key
    assert order.paid_amount == Decimal("17490.00") and order.status == OrderStatus.PAID
    assert order.events.filter(kind="payment").count() == 1
    assert len(customer_mails(order)) == 1
    # every callback is logged as verified: one applied, the rest duplicates
    outcomes = list(
        PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.NOTIFICATION).values_list(
            "outcome", flat=True
        )
    )
    assert len(outcomes) == 11 and sum("applied" in o for o in outcomes) == 1
    with translation.override("en"):
        page = client.get(en_reverse("payments:result", kwargs={"token": order.access_token})).content.decode()
    assert "Paid" in page and "being assembled" in page


def test_pay3_wrong_secret_hash_is_refused_403_unchanged_and_logged_unverified(client, order, calls):
    """PAY-3: Epay signs nothing; a callback that does not echo the invoice's secret_hash is forged."""
    # given: a payment the bank has charged
    payment, _object = start(client, order)
    tx = sandbox_tx(payment)
    SandboxTransaction.objects.filter(pk=tx.pk).update(status="CHARGE")
    forged = {**callback_payload(sandbox_tx(payment)), "secret_hash": "guessed-" + payment.secret_hash[8:]}
    calls.clear()

    # when: a callback with the wrong hash arrives (and one with none at all)
    answer = notify(client, forged)
    bare = notify(client, {k: v for k, v in forged.items() if k != "secret_hash"})

    # then: refused, nothing changes, no status check was even made, and both are logged unverified
    assert answer.status_code == 403 and bare.status_code == 403
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and order.paid_amount == 0
    assert not [c for c in calls if "check-status" in c[1]]
    events = PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.NOTIFICATION)
    assert events.count() == 2 and not events.filter(verified=True).exists()
    assert "guessed-" not in events.first().payload  # the hash is masked in the log


def test_pay3_right_hash_but_status_check_says_new_is_not_paid(client, order):
    """PAY-3: a callback with the right secret_hash still needs the bank's status check to say CHARGE/AUTH."""
    # given: a started payment the customer has not paid (the sandbox says NEW)
    payment, _object = start(client, order)
    claim = {**callback_payload(sandbox_tx(payment)), "code": "ok", "reasonCode": "0"}
    assert claim["secret_hash"] == payment.secret_hash

    # when
    answer = notify(client, claim)

    # then: not applied
    assert answer.status_code == 409 and answer.json()["accepted"] is False
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and order.paid_amount == 0
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.STATUS, outcome__contains="waiting")


@pytest.mark.parametrize(("amount", "currency"), [(Decimal("100.00"), "KZT"), (Decimal("17490.00"), "USD")])
def test_pay3_amount_or_currency_mismatch_in_the_status_check_is_refused(client, order, amount, currency):
    """PAY-3: the bank charged another amount or currency than this attempt's → refused, nothing changes."""
    # given: the bank's transaction for this invoice is CHARGE, but for other money
    payment, _object = start(client, order)
    SandboxTransaction.objects.filter(pk=sandbox_tx(payment).pk).update(
        status="CHARGE", amount=amount, currency=currency
    )

    # when: the callback arrives with the right hash
    answer = notify(client, callback_payload(sandbox_tx(payment)))

    # then
    assert answer.status_code == 400
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and order.paid_amount == 0
    assert PaymentEvent.objects.filter(payment=payment, outcome__contains="wrong_amount", verified=True).exists()


def test_pay3_status_check_unreachable_answers_503_and_changes_nothing(client, order, monkeypatch):
    """PAY-3: if we cannot confirm with the bank, the callback is not applied (Epay sends it again)."""
    payment, _object = start(client, order)
    SandboxTransaction.objects.filter(pk=sandbox_tx(payment).pk).update(status="CHARGE")

    def down(self, payment):
        raise transport.TransportError("timeout")

    monkeypatch.setattr(Epay, "fetch_status", down)
    answer = notify(client, callback_payload(sandbox_tx(payment)))
    assert answer.status_code == 503
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_pay3_malformed_unknown_invoice_and_unknown_kind_are_4xx_and_logged(client, order):
    """PAY-3: bad input never gives a 500; every callback is logged."""
    # given
    before = PaymentEvent.objects.count()
    # when
    garbage = client.post(POST_LINK, data=b"{not json", content_type="application/json")
    not_object = notify(client, ["a", "list"])
    unknown = notify(client, {"invoiceId": "99999999901", "code": "ok", "secret_hash": "x"})
    wrong_kind = notify(client, {"invoiceId": "1"}, link="/payments/notify/epay/other/")
    # then
    assert garbage.status_code == 400 and not_object.status_code == 400
    assert unknown.status_code == 404 and wrong_kind.status_code == 404
    assert PaymentEvent.objects.count() == before + 4
    assert not PaymentEvent.objects.filter(verified=True, kind=PaymentEvent.Kind.NOTIFICATION).exists()


# --- Declines -----------------------------------------------------------------------------------------------------


def test_pay5_declined_card_calls_failure_post_link_shows_plain_message_and_retry_starts_a_new_invoice(client, order):
    """PAY-5: the insufficient-funds card → failurePostLink → declined, the result page says why; "Try again"
    opens a fresh invoice that can be paid."""
    # given: the customer on the bank's page
    payment, payment_object = start(client, order)

    # when: the card is declined for insufficient funds
    back = pay_in_sandbox(client, payment_object, card=INSUFFICIENT_FUNDS_CARD)

    # then: the attempt is declined with the plain-words reason
    assert back.headers["Location"] == payment_object["failureBackLink"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.decline_code == "470"
    assert payment.decline_message == "There is not enough money on the card. Top it up or try another card."
    with translation.override("en"):
        page = client.get(en_reverse("payments:result", kwargs={"token": order.access_token}))
    assert "not enough money on the card" in page.content.decode() and "Try again" in page.content.decode()

    # when: they try again with a good card
    retry = client.post(en_reverse("payments:pay", kwargs={"token": order.access_token}))
    second = order.payments.order_by("-id").first()
    pay_in_sandbox(client, retry.context["action"].context["payment_object"])

    # then: a second invoice, paid
    assert second.pk != payment.pk and second.invoice_id != payment.invoice_id
    second.refresh_from_db()
    order.refresh_from_db()
    assert second.status == PaymentStatus.SUCCEEDED and order.paid_amount == order.total


def test_pay3_failure_callback_with_wrong_hash_does_not_decline(client, order):
    """PAY-3: a forged decline is refused too (it would push the customer away from a payment in progress)."""
    payment, _object = start(client, order)
    forged = {**callback_payload(sandbox_tx(payment)), "code": "error", "reasonCode": "470", "secret_hash": "nope"}
    assert notify(client, forged, link=FAILURE_LINK).status_code == 403
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and payment.decline_message == ""


# --- Refunds ------------------------------------------------------------------------------------------------------


@pytest.fixture
def paid(client, order):
    payment, payment_object = start(client, order)
    pay_in_sandbox(client, payment_object)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    return payment


def test_pay7_partial_then_full_refund_through_the_sandbox(paid):
    """PAY-7: 5 000 back, then the rest: the bank's transaction ends REFUND, the payment "refunded"."""
    # when: a partial refund
    first = services.refund(payment=paid, amount=Decimal("5000"), reason=PaymentRefund.Reason.REFUND_DUE)
    # then
    paid.refresh_from_db()
    assert first.status == PaymentRefund.Status.SUCCEEDED and first.provider_refund_id
    assert paid.refunded_amount == Decimal("5000.00") and paid.status == PaymentStatus.SUCCEEDED
    assert sandbox_tx(paid).status == "CHARGE" and sandbox_tx(paid).refunded == Decimal("5000.00")

    # when: the rest
    rest = services.refund(payment=paid, amount=paid.refundable, reason=PaymentRefund.Reason.REFUND_DUE)
    # then
    paid.refresh_from_db()
    assert rest.status == PaymentRefund.Status.SUCCEEDED
    assert paid.refunded_amount == paid.amount and paid.status == PaymentStatus.REFUNDED
    assert sandbox_tx(paid).status == "REFUND" and sandbox_tx(paid).refunded == paid.amount


def test_pay7_refund_below_10_kzt_is_refused_without_calling_the_bank(paid, calls):
    """PAY-7: Epay refunds from 10 KZT; a smaller one fails with a clear message and no call."""
    calls.clear()
    refund = services.refund(payment=paid, amount=Decimal("9.99"), reason=PaymentRefund.Reason.REFUND_DUE)
    assert refund.status == PaymentRefund.Status.FAILED and "10" in refund.message
    assert calls == []
    paid.refresh_from_db()
    assert paid.refunded_amount == 0 and sandbox_tx(paid).refunded == 0


def test_pay4_pay7_refund_twice_beyond_the_amount_is_refused(paid):
    """PAY-4/PAY-7: after a full refund, another one is refused before the bank; the bank's total is unchanged."""
    services.refund(payment=paid, amount=paid.amount, reason=PaymentRefund.Reason.REFUND_DUE)
    paid.refresh_from_db()
    with pytest.raises(services.PaymentError):
        services.refund(payment=paid, amount=Decimal("10"), reason=PaymentRefund.Reason.REFUND_DUE)
    paid.refresh_from_db()
    assert paid.refunded_amount == paid.amount and sandbox_tx(paid).refunded == paid.amount
    assert PaymentRefund.objects.filter(payment=paid).count() == 1


def test_pay7_sandbox_refuses_a_refund_beyond_what_is_left_and_from_a_not_charged_state(client, paid, calls):
    """PAY-7 (the sandbox speaks Epay's rules): beyond the amount → 400; from REFUND → 400."""
    adapter = Epay()
    headers = adapter._bearer()
    api = "http://payments-sandbox.invalid/payments/sandbox/epay/api"
    key = sandbox_tx(paid).key
    beyond = transport.send("POST", f"{api}/operation/{key}/refund?amount=99999", headers=headers)
    full = transport.send("POST", f"{api}/operation/{key}/refund", headers=headers)
    again = transport.send("POST", f"{api}/operation/{key}/refund?amount=10", headers=headers)
    unauthorised = transport.send("POST", f"{api}/operation/{key}/refund?amount=10")
    assert (beyond.status, full.status, again.status, unauthorised.status) == (400, 200, 400, 401)
    assert sandbox_tx(paid).status == "REFUND"


def test_pay4_payment_for_a_cancelled_order_is_refunded_automatically_and_support_alerted(
    client, order, django_capture_on_commit_callbacks
):
    """PAY-4: the customer pays on the bank's page after support cancelled the order → the money goes back at
    once through Epay and support is alerted."""
    # given: the bank's page is open, then the order is cancelled
    payment, payment_object = start(client, order)
    fulfilment.cancel_order(order=order, actor=None, reason="out of stock")

    # when: the customer pays anyway
    with django_capture_on_commit_callbacks(execute=True):
        pay_in_sandbox(client, payment_object)

    # then: recorded, refunded in full through the bank, support alerted, the order stays cancelled and unpaid
    payment.refresh_from_db()
    order.refresh_from_db()
    refund = PaymentRefund.objects.get(payment=payment)
    assert refund.reason == PaymentRefund.Reason.CANCELLED_ORDER and refund.status == PaymentRefund.Status.SUCCEEDED
    assert payment.status == PaymentStatus.REFUNDED and sandbox_tx(payment).status == "REFUND"
    assert order.status == OrderStatus.CANCELLED and order.paid_amount == 0
    assert PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.ALERT).exists()
    assert any(payment.invoice_id in m.body for m in mail.outbox if m.to == ["support@localhost"])


# --- The sandbox itself -------------------------------------------------------------------------------------------


def test_pay6_sandbox_checks_client_credentials_bearer_tokens_and_is_off_when_disabled(client, order, settings):
    """PAY-6: the fake OAuth refuses a wrong secret, the API a missing token; with the sandbox off it is gone."""
    token_url = "/payments/sandbox/epay/oauth2/token"
    wrong = client.post(
        token_url, {"grant_type": "client_credentials", "client_id": "sandbox-client", "client_secret": "nope"}
    )
    assert wrong.status_code == 401
    status = client.get("/payments/sandbox/epay/api/check-status/payment/transaction/1234567890")
    assert status.status_code == 401
    forged_entry = client.post("/payments/sandbox/epay/pay/", {"invoiceId": "1234567890", "auth": "x"})
    assert forged_entry.status_code == 400
    settings.SHOP_PAYMENT_SANDBOX = False
    assert client.post(token_url, {}).status_code == 404


def test_pay3_check_now_on_the_result_page_reads_the_bank_status(client, order):
    """PAY-3: "I have paid — check now" asks Epay's check-status; a charged invoice is applied from it."""
    payment, _object = start(client, order)
    SandboxTransaction.objects.filter(pk=sandbox_tx(payment).pk).update(status="CHARGE")
    client.post(en_reverse("payments:result", kwargs={"token": order.access_token}))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert Payment.objects.get(pk=payment.pk).provider_transaction_id == sandbox_tx(payment).key


def test_pay1_pay6_payment_page_and_bank_page_stand_in_are_valid_html5(client, order):
    """PAY-1/PAY-6: the pay page with the Epay step and the sandbox's card page parse as strict HTML5."""
    import html5lib

    # given: the payment page and the bank page it leads to
    response = pay_page(client, order)
    payment_object = response.context["action"].context["payment_object"]
    fields = {k: (v["access_token"] if k == "auth" else v) for k, v in payment_object.items()}
    card_page = client.get(client.post("/payments/sandbox/epay/pay/", fields).headers["Location"])
    refused = client.post(card_page.wsgi_request.path, {"number": "1234", "expiry": "13/99", "cvc": "1"})
    # then
    for page in (response, card_page, refused):
        html5lib.HTMLParser(strict=True).parse(page.content, transport_encoding="utf-8")
    assert refused.status_code == 400 and "Enter the 16 digits" in refused.content.decode()
