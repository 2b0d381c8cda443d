"""Issue 11, REF-5 wording: the payment adapters' notifications carry the card's last four digits (CloudPayments'
CardLastFour, Epay's cardMask), stored on the Payment and nothing more of the card; the customer's return timeline
and the "money sent" mail then say "to the card ending 4242", and today's wording when the card is unknown."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderStatus
from payments import services as payment_services
from payments.models import Payment, PaymentStatus
from payments.sandbox.epay import callback_payload
from returns import policy, requests, services
from returns.models import ReturnReason, ReturnShipping
from tests import factories as f
from tests.integration import test_cloudpayments as cp
from tests.integration import test_epay as epay
from tests.payment_doubles import COD, TEST_CARD, TestCard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- the adapters store the last four digits ----------------------------------------------------------------------


@pytest.fixture
def cloudpayments(settings):
    settings.SHOP_PAYMENT_SANDBOX = True
    settings.CLOUDPAYMENTS_PUBLIC_ID = "pk_sandbox_public_id"
    settings.CLOUDPAYMENTS_API_SECRET = cp.SECRET
    settings.CLOUDPAYMENTS_API_URL = "http://payments-sandbox.invalid/payments/sandbox/cloudpayments/api"
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.cloudpayments.CloudPayments", COD]


def test_ref5_cloudpayments_pay_stores_card_last_four_only(client, cloudpayments):
    payment = cp.started(cp.card_order())
    answer = cp.notify(client, "pay", cp.fields(payment, Amount=f"{payment.amount}", CardLastFour="4242"))
    assert cp.code_of(answer) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.card_last4 == "4242"


def test_ref5_cloudpayments_sandbox_card_reaches_the_payment_as_its_last_four(client, cloudpayments):
    payment = cp.started(cp.card_order())
    done = client.post(cp.FORM, cp.form_data(payment, cp.CARDS["ok"]))
    assert 'data-cp-sandbox-result="success"' in done.content.decode()
    payment.refresh_from_db()
    assert payment.card_last4 == "4242"


def test_ref5_epay_postlink_stores_the_masks_last_four(client, settings, django_capture_on_commit_callbacks):
    settings.SHOP_PAYMENT_ADAPTERS = [epay.EPAY, COD]
    order = f.placed_order(payment_method="epay", items=(("15990.00", 1),), language="en")
    payment, payment_object = epay.start(client, order)
    with django_capture_on_commit_callbacks(execute=True):
        epay.pay_in_sandbox(client, payment_object)
    payment.refresh_from_db()
    assert callback_payload(epay.sandbox_tx(payment))["cardMask"].endswith("6150")
    assert payment.status == PaymentStatus.SUCCEEDED and payment.card_last4 == "6150"


@pytest.mark.postgres  # SQLite neither limits a varchar's length nor reads the constraint's regular expression
def test_ref5_the_database_refuses_more_than_four_digits_of_a_card(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [TEST_CARD, COD]
    order = f.placed_order(payment_method="testcard")
    payment = payment_services.current_attempt(order=order)
    for bad, refusal in (("424242", DataError), ("42", IntegrityError), ("abcd", IntegrityError)):
        with pytest.raises(refusal), transaction.atomic():
            Payment.objects.filter(pk=payment.pk).update(card_last4=bad)


# --- the customer reads it --------------------------------------------------------------------------------------


def accepted_card_return(card: str, *, user=None):
    """A delivered card order paid through the test card with `card` as the provider's card field, returned for a
    defect and accepted: a refund due to that card."""
    order = f.placed_order(f.delivery_setup(), items=(("10000.00", 1),), user=user, payment_method="testcard")
    fulfilment.confirm_order(order=order, actor=None)
    payment = payment_services.current_attempt(order=order)
    payment_services.record_success(
        payment=payment, amount=payment.amount, currency="KZT", transaction_id=f"T{order.pk}", card=card
    )
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=1), paid_amount=order.total
    )
    request = requests.submit_return(
        order=order,
        quantities={order.lines.get().pk: 1},
        reason=ReturnReason.DEFECT,
        conditions=policy.RETURN_CONDITIONS,
        shipping=ReturnShipping.COURIER_PICKUP,
        language="en",
    )
    requests.mark_received(request=request)
    return order, requests.accept_return(request=request)


@pytest.fixture
def card_shop(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [TEST_CARD, COD]
    TestCard.refunds = []
    TestCard.refuse_refunds = False


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="ann@example.kz", password="pw-123456")


def test_ref5_timeline_says_refund_due_by_day_to_the_card_ending_4242(client, card_shop, customer):
    order, _request = accepted_card_return("424242******4242", user=customer)
    client.force_login(customer)
    with translation.override("en"):
        page = client.get(reverse("returns:order", kwargs={"token": order.access_token})).content.decode()
        cabinet = client.get(reverse("accounts:returns")).content.decode()
    for body in (page, cabinet):
        assert "due by" in body and "to the card ending 4242" in body
        assert "424242" not in body


def test_ref5_timeline_falls_back_to_the_card_you_paid_with_when_unknown(client, card_shop):
    order, _request = accepted_card_return("")
    with translation.override("en"):
        page = client.get(reverse("returns:order", kwargs={"token": order.access_token})).content.decode()
    assert "to the card you paid with" in page and "ending" not in page


def test_ref5_money_sent_mail_names_the_card_ending(card_shop, django_capture_on_commit_callbacks):
    _order, request = accepted_card_return("4242")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_refund(refund=request.refund)
    sent = [m for m in mail.outbox if "RF-" in m.subject]
    assert sent and "to the card ending 4242" in sent[0].body
