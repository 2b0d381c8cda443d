"""The seams between apps (issue 10): orders and payments announce what happened through signals they own, sent
after commit with what listeners need; returns listens instead of being called (ORD-6, REF-1, PAY-7)."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from orders import signals as order_signals
from orders.fulfilment import services as fulfilment
from orders.models import OrderStatus
from payments import services as payment_services
from payments import signals as payment_signals
from payments.models import PaymentRefund
from returns import services as returns_services
from returns.models import Refund
from tests import factories as f
from tests.payment_doubles import COD, TEST_CARD, TestCard

pytestmark = pytest.mark.django_db

CARD_SHOP = override_settings(SHOP_PAYMENT_ADAPTERS=[TEST_CARD, COD])


@contextmanager
def listening(signal):
    """Collect every send of `signal` as a dict of its keyword arguments."""
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    signal.connect(receiver, weak=False, dispatch_uid="test-listener")
    try:
        yield heard
    finally:
        signal.disconnect(dispatch_uid="test-listener")


@pytest.fixture(autouse=True)
def _card():
    TestCard.refunds = []
    TestCard.refuse_refunds = False
    with CARD_SHOP:
        yield


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(email="boss@example.kz", password="pw-123456")


def paid_card_order(staff, capture):
    order = f.placed_order(f.delivery_setup(), items=(("10000.00", 1), ("3000.00", 2)), payment_method="testcard")
    with capture(execute=True):
        fulfilment.confirm_order(order=order, actor=staff)
        payment = payment_services.current_attempt(order=order)
        payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    order.refresh_from_db()
    return order, payment


def test_ord5_every_transition_is_announced_once_after_commit_with_the_order_and_its_lines(
    staff, django_capture_on_commit_callbacks
):
    # given a placed order and listeners on each signal
    names = ("order_confirmed", "order_paid", "order_shipped", "order_delivered")
    with (
        listening(order_signals.order_confirmed) as confirmed,
        listening(order_signals.order_paid) as paid,
        listening(order_signals.order_shipped) as shipped,
        listening(order_signals.order_delivered) as delivered,
    ):
        order = f.placed_order(f.delivery_setup(), items=(("5000.00", 2),))  # cash on delivery
        # when the shop walks it to delivery, cash collected at the door
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            fulfilment.confirm_order(order=order, actor=staff)
            fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
            fulfilment.mark_shipped(order=order, actor=staff, tracking_number="CDEK-1")
            fulfilment.set_status(order=order, target=OrderStatus.DELIVERED, actor=staff)
            fulfilment.mark_paid(order=order, actor=staff, amount=order.total)
        # then each signal came once, after the commit, with the order, its lines and who did it
        assert callbacks, "signals are queued on commit, not sent inside the transaction"
        for name, heard in zip(names, (confirmed, paid, shipped, delivered), strict=True):
            assert len(heard) == 1, name
            assert heard[0]["order"].pk == order.pk and heard[0]["actor"] == staff, name
            assert [line.quantity for line in heard[0]["lines"]] == [2], name
            assert heard[0]["lines"][0].paid_total == Decimal("10000.00"), name
        assert paid[0]["amount"] == order.total
        assert delivered[0]["order"].status == OrderStatus.DELIVERED


def test_ord5_a_transition_that_rolls_back_announces_nothing(staff, django_capture_on_commit_callbacks):
    # given a placed order and a listener on "confirmed"
    order = f.placed_order(f.delivery_setup())
    with listening(order_signals.order_confirmed) as heard:
        # when the confirmation's transaction rolls back
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            fulfilment.confirm_order(order=order, actor=staff)
            raise RuntimeError("the database went away")
        # then nobody heard of it
        assert heard == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_ord6_ref1_returns_records_the_refund_due_when_orders_announces_a_paid_cancellation(
    staff, django_capture_on_commit_callbacks
):
    # given a paid card order
    order, _payment = paid_card_order(staff, django_capture_on_commit_callbacks)
    # when support cancels it: inside the transaction nothing is owed yet ...
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fulfilment.cancel_order(order=order, actor=staff, reason="out of stock")
    assert not Refund.objects.filter(order=order).exists()
    # ... and once it commits, returns hears it and records what was paid, line by line
    for callback in callbacks:
        callback()
    refund = Refund.objects.get(order=order)
    assert (refund.reason, refund.amount, refund.status) == ("cancellation", order.total, "due")
    assert sorted(line.amount for line in refund.lines.all()) == [Decimal("6000.00"), Decimal("10000.00")]


def test_ord6_the_sweep_records_a_refund_due_a_receiver_missed_and_only_once(staff, django_capture_on_commit_callbacks):
    # given a paid order cancelled while returns was not listening (a failed receiver, a worker that died)
    order, _payment = paid_card_order(staff, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        fulfilment.cancel_order(order=order, actor=staff, reason="lost")
    assert not Refund.objects.filter(order=order).exists()
    # when the sweep runs twice
    first, second = returns_services.record_missing_refunds_due(), returns_services.record_missing_refunds_due()
    # then the refund due exists once
    assert (first, second) == (1, 0)
    assert Refund.objects.get(order=order).amount == order.total


def test_pay7_ref4_a_refund_confirmed_later_by_the_provider_settles_the_refund_due_through_the_signal(
    staff, django_capture_on_commit_callbacks, monkeypatch
):
    # given a refund due whose refund the provider could not answer at once (it stays pending)
    order, payment = paid_card_order(staff, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.cancel_order(order=order, actor=staff, reason="changed mind")
    due = Refund.objects.get(order=order)

    def unreachable(self, payment, amount, refund):
        raise ConnectionError("provider down")

    monkeypatch.setattr(TestCard, "refund", unreachable)
    (pending,) = returns_services.send_refund(refund=due, actor=staff)
    assert pending.status == PaymentRefund.Status.PENDING
    assert pending.reference == f"returns.refund:{due.pk}"  # payments knows only the caller's reference
    assert pending.payment_id == payment.pk  # REF-4: back through the card payment that paid the order
    due.refresh_from_db()
    assert due.status == Refund.Status.DUE
    # when the provider confirms it later
    with listening(payment_signals.refund_completed) as heard, django_capture_on_commit_callbacks(execute=True):
        payment_services.complete_refund(pending, ok=True, provider_refund_id="R-77")
    # then payments announced it once and returns settled its refund due
    assert len(heard) == 1 and heard[0]["refund"].pk == pending.pk and heard[0]["payment"].pk == payment.pk
    due.refresh_from_db()
    assert due.status == Refund.Status.DONE and due.provider_reference == "R-77"
    # and sending it again is refused: nothing is left to send
    with pytest.raises(payment_services.PaymentError):
        returns_services.send_refund(refund=due, actor=staff)


def test_pay_payment_captured_is_announced_once_for_a_replayed_notification(
    staff, django_capture_on_commit_callbacks
):
    # given an online order awaiting payment
    order = f.placed_order(f.delivery_setup(), payment_method="testcard")
    payment = payment_services.current_attempt(order=order)
    with listening(payment_signals.payment_captured) as heard, django_capture_on_commit_callbacks(execute=True):
        # when the provider's word arrives twice
        for _attempt in range(2):
            payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="X")
    # then the capture was announced once, with the payment
    assert [kwargs["payment"].pk for kwargs in heard] == [payment.pk]


def test_a_failing_receiver_is_logged_and_the_others_still_hear(staff, django_capture_on_commit_callbacks, caplog):
    # given two receivers of "confirmed", the first of which fails
    order = f.placed_order(f.delivery_setup())

    def broken(sender, **kwargs):
        raise ValueError("receiver bug")

    order_signals.order_confirmed.connect(broken, weak=False, dispatch_uid="test-broken")
    try:
        with listening(order_signals.order_confirmed) as heard:
            # when the order is confirmed
            with django_capture_on_commit_callbacks(execute=True):
                fulfilment.confirm_order(order=order, actor=staff)
            # then the confirmation stands, the other receiver heard it and the failure is in the log
            assert len(heard) == 1
    finally:
        order_signals.order_confirmed.disconnect(dispatch_uid="test-broken")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert any("failed for order" in r.getMessage() and r.exc_info for r in caplog.records)
