"""PAY-4 under real concurrency: duplicate notifications and the expiry sweep racing a payment, each in its own
thread with its own PostgreSQL connection. The locks (order, then payment) must let exactly one change through."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from orders.models import City, Order, OrderEvent, OrderStatus
from payments import services
from payments.models import Payment, PaymentRefund, PaymentStatus
from tests import factories as f
from tests.concurrency import run_together
from tests.payment_doubles import COD, TEST_CARD, TestCard, sign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def card_shop(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [TEST_CARD, COD]
    TestCard.refunds = []
    TestCard.refuse_refunds = False


@pytest.fixture
def setup():
    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    return f.delivery_setup(city_name="Алматы")


def test_pay4_twenty_concurrent_duplicate_notifications_pay_once_and_mail_once(setup):
    """PAY-4: 20 copies of one Pay notification at the same instant → one paid transition, one mail."""
    # given
    order = f.placed_order(setup, payment_method="testcard")
    payment = services.current_attempt(order=order)
    body = urlencode(
        {"invoice": payment.invoice_id, "amount": payment.amount, "currency": "KZT", "transaction": "T-20"}
    ).encode()
    mail.outbox.clear()

    def post():
        return (
            Client()
            .generic(
                "POST",
                "/payments/notify/testcard/pay/",
                body,
                content_type="application/x-www-form-urlencoded",
                headers={"X-Test-Signature": sign(body)},
            )
            .status_code
        )

    # when
    results, crashed = run_together([post] * 20)
    # then
    assert crashed == [] and results == [200] * 20
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_amount == order.total
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID).count() == 1
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT).count() == 1
    assert len([m for m in mail.outbox if order.number in m.subject]) == 1


def test_pay4_a_payment_racing_the_expiry_sweep_is_either_kept_or_refunded_never_lost(setup, settings):
    """PAY-4: the sweep cancels while the money arrives: the order ends paid, or cancelled with the money refunded
    — never cancelled with the money kept, never paid with the stock released."""
    settings.SHOP_PAYMENT_TIMEOUT_MINUTES = 30
    for n in range(5):
        order = f.placed_order(setup, payment_method="testcard", email=f"race{n}@example.kz")
        payment = services.current_attempt(order=order)
        Order.objects.filter(pk=order.pk).update(placed_at=timezone.now() - timedelta(minutes=31))

        def pay(payment=payment, n=n):
            return services.record_success(
                payment=payment, amount=payment.amount, currency="KZT", transaction_id=f"R{n}"
            ).code

        _results, crashed = run_together([pay, services.expire_unpaid_orders])
        assert crashed == []
        order.refresh_from_db()
        payment.refresh_from_db()
        if order.status == OrderStatus.PAID:
            assert order.paid_amount == order.total and payment.status == PaymentStatus.SUCCEEDED
        else:
            assert order.status == OrderStatus.CANCELLED and order.paid_amount == 0
            assert payment.status == PaymentStatus.REFUNDED
            assert PaymentRefund.objects.get(payment=payment).status == PaymentRefund.Status.SUCCEEDED
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED, order__status=OrderStatus.CANCELLED).count() == 0
