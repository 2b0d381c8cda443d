"""Return requests and the refunds their decisions create (issue 11, items 2–6): RET-1..7, REF-1..5, CPN-3 on the
real PostgreSQL, through the services the cabinet and the admin call."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone, translation

from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderLine, OrderStatus
from payments import services as payment_services
from payments.models import PaymentRefund
from returns import policy, requests, services, sweeps, transitions
from returns.models import Refund, ReturnEvent, ReturnReason, ReturnRequest, ReturnShipping, ReturnState
from returns.requests import ReturnError
from tests import factories as f
from tests.concurrency import run_together
from tests.payment_doubles import COD, TEST_CARD, TestCard

pytestmark = pytest.mark.django_db

ALL_MET = policy.RETURN_CONDITIONS
KZ_IBAN = "KZ86125KZT5004100100"  # the standard example Kazakhstan IBAN (mod-97 valid)


@pytest.fixture(autouse=True)
def _shop():
    TestCard.refunds = []
    TestCard.refuse_refunds = False
    shop = override_settings(SHOP_PAYMENT_ADAPTERS=[TEST_CARD, COD], SHOP_RETURNS_ALERT_EMAILS=["support@shop.kz"])
    with translation.override("en"), shop:
        yield


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(email="boss@example.kz", password="pw-123456")


def delivered_order(
    capture, *, items=(("10000.00", 1), ("3000.00", 3)), method="testcard", delivered_ago=2, discount=None
):
    """A paid order delivered `delivered_ago` days ago; `discount` puts that share on the second line (REF-1)."""
    order = f.placed_order(f.delivery_setup(), items=items, payment_method=method)
    with capture(execute=True):
        fulfilment.confirm_order(order=order, actor=None)
        if method == "testcard":
            payment = payment_services.current_attempt(order=order)
            payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    order.refresh_from_db()
    if discount is not None:
        line = order.lines.all()[1]
        OrderLine.objects.filter(pk=line.pk).update(
            discount_share=Decimal(discount), paid_total=line.line_total - Decimal(discount)
        )
        Order.objects.filter(pk=order.pk).update(
            discount_total=Decimal(discount), total=order.total - Decimal(discount), discount_kind="bonuses"
        )
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - timedelta(days=delivered_ago),
        paid_amount=Order.objects.get(pk=order.pk).total - (Decimal(discount) if discount else 0),
    )
    order.refresh_from_db()
    return order


def submit(order, quantities, **kwargs):
    values = {
        "reason": ReturnReason.CHANGED_MIND,
        "conditions": ALL_MET,
        "shipping": ReturnShipping.OWN_SHIPMENT,
    }
    values.update(kwargs)
    return requests.submit_return(order=order, quantities=quantities, **values)


def received(request, staff):
    requests.mark_shipped(request=request, tracking_number="KZ123", role="customer")
    return requests.mark_received(request=request, actor=staff)


# --- RET-3, RET-4: the request ------------------------------------------------------------------------------------


def test_ret3_ret4_a_request_gets_a_yearly_number_an_event_and_a_confirmation_mail(django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    _first, second = order.lines.all()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(order, {second.pk: 1})
    year = timezone.localtime(request.created_at).year
    assert request.number == f"V-{year}-0001"
    assert request.state == ReturnState.SUBMITTED and request.email == order.email
    assert request.send_back_by == timezone.localtime(request.created_at).date() + timedelta(days=14)  # RET-5
    (event,) = request.events.all()
    assert event.action == "submit" and event.quantities == {str(second.pk): 1} and event.actor_role == "customer"
    (message,) = mail.outbox
    assert request.number in message.subject and request.number in message.body
    with translation.override(request.language):  # RET-5 in the customer's language
        send_by = translation.gettext("Send the parcel by %(date)s and tell us its tracking number.")
    assert send_by.split("%(date)s")[0] in message.body


def test_ret3_never_more_than_delivered_minus_already_requested(django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    line = order.lines.all()[1]  # 3 units
    submit(order, {line.pk: 2})
    with pytest.raises(ReturnError, match="At most 1"):
        submit(order, {line.pk: 2})
    submit(order, {line.pk: 1})
    with pytest.raises(ReturnError):
        submit(order, {line.pk: 1})


@pytest.mark.postgres
def test_ret3_two_requests_at_once_never_overbook_a_line(django_capture_on_commit_callbacks, transactional_db):
    order = delivered_order(django_capture_on_commit_callbacks)
    line = order.lines.all()[1]
    results, crashed = run_together([lambda: submit(order, {line.pk: 2}), lambda: submit(order, {line.pk: 2})])
    assert len(results) == 1 and len(crashed) == 1 and isinstance(crashed[0], ReturnError)
    assert ReturnRequest.objects.filter(order=order).count() == 1


def test_ret2_changed_mind_needs_every_condition_and_non_returnable_lines_are_refused(
    django_capture_on_commit_callbacks,
):
    order = delivered_order(django_capture_on_commit_callbacks)
    first, second = order.lines.all()
    with pytest.raises(ReturnError, match="unused"):
        submit(order, {first.pk: 1}, conditions=[policy.UNUSED])
    # a defect is judged at the inspection: no declaration needed
    assert submit(order, {first.pk: 1}, reason=ReturnReason.DEFECT, conditions=[]).pk
    OrderLine.objects.filter(pk=second.pk).update(returnable=False, non_returnable_reason="hygiene")
    with pytest.raises(ReturnError, match="cannot be returned: hygiene"):
        submit(order, {second.pk: 1})


def test_ret1_refused_before_delivery_and_after_the_window(django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks, delivered_ago=20)
    line = order.lines.first()
    with pytest.raises(ReturnError, match="14-day"):
        submit(order, {line.pk: 1})
    Order.objects.filter(pk=order.pk).update(delivered_at=None)
    with pytest.raises(ReturnError):
        submit(order, {line.pk: 1})
    assert not ReturnRequest.objects.exists()


def test_ref4_cash_orders_need_a_valid_kazakhstan_iban(django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks, method="cod")
    line = order.lines.first()
    with pytest.raises(ReturnError, match="IBAN"):
        submit(order, {line.pk: 1}, iban="")
    with pytest.raises(ReturnError, match="IBAN"):
        submit(order, {line.pk: 1}, iban="KZ86125KZT5004100101")  # one digit off: mod-97 fails
    with pytest.raises(ReturnError, match="Kazakhstan"):
        submit(order, {line.pk: 1}, iban="DE89370400440532013000")
    request = submit(order, {line.pk: 1}, iban="kz86 125K ZT50 0410 0100")
    assert request.iban == KZ_IBAN


# --- RET-5..7: the states ----------------------------------------------------------------------------------------


def test_states_follow_the_table_and_every_move_is_logged_and_mailed(staff, django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    line = order.lines.first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(order, {line.pk: 1})
        with pytest.raises(ReturnError):
            requests.accept_return(request=request, actor=staff)  # not received yet
        request = received(request, staff)
    assert request.state == ReturnState.RECEIVED and request.inspect_by is not None
    with pytest.raises(ReturnError):
        requests.cancel_return(request=request)  # RET: cancelled only before the goods are sent
    actions = list(request.events.values_list("action", "to_state"))
    assert actions == [
        ("submit", "submitted"),
        ("ship", "awaiting_goods"),
        ("receive", "received"),
    ]
    assert len(mail.outbox) == 3  # confirmation, shipped, received


def test_ret7_reject_needs_its_reason_and_releases_the_units(staff, django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    line = order.lines.first()
    request = received(submit(order, {line.pk: 1}), staff)
    with pytest.raises(ReturnError):
        requests.reject_return(request=request, reason=" ", actor=staff)
    request = requests.reject_return(request=request, reason="used, scratched", actor=staff)
    assert request.state == ReturnState.REJECTED and request.refund is None
    assert submit(order, {line.pk: 1}).pk  # the unit may be asked back again


def test_customer_cancels_before_sending(django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    request = submit(order, {order.lines.first().pk: 1})
    assert requests.cancel_return(request=request).state == ReturnState.CANCELLED
    assert request.events.last().actor_role == "customer"


# --- REF-1..5: refunds from decisions ----------------------------------------------------------------------------


def test_ref1_successive_partial_returns_split_the_discount_to_the_tiyn(staff, django_capture_on_commit_callbacks):
    """REF-1: 1 000.00 discount share on a 3-unit line → 333.33/333.33/333.34 over three returns, summing to what
    the line paid."""
    order = delivered_order(django_capture_on_commit_callbacks, discount="1000.00")
    line = order.lines.all()[1]  # 3 × 3 000.00, paid 8 000.00
    amounts = []
    for _ in range(3):
        request = received(submit(order, {line.pk: 1}), staff)
        request = requests.accept_return(request=request, actor=staff)
        amounts.append(request.refund.goods_amount)
    assert amounts == [Decimal("2666.66"), Decimal("2666.67"), Decimal("2666.67")]
    assert sum(amounts) == Decimal("8000.00") == line.paid_total


def test_ref2_ret7_accepted_with_a_deduction_has_its_breakdown_and_one_refund(
    staff, django_capture_on_commit_callbacks
):
    order = delivered_order(django_capture_on_commit_callbacks)
    first = order.lines.first()
    request = received(submit(order, {first.pk: 1}), staff)
    with pytest.raises(ReturnError, match="reason"):
        requests.accept_return(request=request, actor=staff, deduction="500")
    request = requests.accept_return(request=request, actor=staff, deduction="500", deduction_reason="scratch")
    refund = request.refund
    assert refund.reason == Refund.Reason.RETURN and refund.status == Refund.Status.DUE
    assert refund.goods_amount == Decimal("10000.00") and refund.delivery_amount == 0  # changed mind: no delivery
    assert refund.deductions == Decimal("500.00") and refund.deduction_reason == "scratch"
    assert refund.amount == Decimal("9500.00") and refund.due_by is not None
    assert [(rl.order_line_id, rl.quantity) for rl in refund.lines.all()] == [(first.pk, 1)]
    with pytest.raises(ReturnError):
        requests.accept_return(request=request, actor=staff)  # accepted once: one refund
    assert Refund.objects.filter(reason=Refund.Reason.RETURN).count() == 1


def test_ref2_a_defect_refunds_the_delivery_once(staff, django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    first, second = order.lines.all()
    one = requests.accept_return(
        request=received(submit(order, {first.pk: 1}, reason=ReturnReason.DEFECT), staff), actor=staff
    )
    two = requests.accept_return(
        request=received(submit(order, {second.pk: 1}, reason=ReturnReason.DEFECT), staff), actor=staff
    )
    assert one.refund.delivery_amount == order.delivery_cost
    assert two.refund.delivery_amount == 0


def test_ref4_card_refund_is_sent_once_and_the_request_is_refunded(staff, django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    request = requests.accept_return(request=received(submit(order, {order.lines.first().pk: 1}), staff), actor=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_refund(refund=request.refund, actor=staff)
    request.refresh_from_db()
    request.refund.refresh_from_db()
    assert request.state == ReturnState.REFUNDED
    assert request.refund.status == Refund.Status.DONE and request.refund.sent_at is not None
    assert len(TestCard.refunds) == 1 and TestCard.refunds[0][1] == Decimal("10000.00")
    subjects = [m.subject for m in mail.outbox]
    assert any(request.refund.number in s for s in subjects)  # the money-sent mail
    with pytest.raises(payment_services.PaymentError, match="already"):
        services.send_refund(refund=request.refund, actor=staff)


def test_ref4_partial_send_never_above_what_is_left(staff, django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    refund = requests.accept_return(
        request=received(submit(order, {order.lines.first().pk: 1}), staff), actor=staff
    ).refund
    services.send_refund(refund=refund, actor=staff, amount=Decimal("4000.00"))
    assert services.refund_left(refund) == Decimal("6000.00")
    with pytest.raises(payment_services.PaymentError, match="At most"):
        services.send_refund(refund=refund, actor=staff, amount=Decimal("6000.01"))
    services.send_refund(refund=refund, actor=staff, amount=Decimal("6000.00"))
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DONE
    assert sum(a for _i, a in TestCard.refunds) == Decimal("10000.00")


def test_ref5_a_refused_provider_call_stays_due_and_the_sweep_sends_it_once(staff, django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    refund = requests.accept_return(
        request=received(submit(order, {order.lines.first().pk: 1}), staff), actor=staff
    ).refund
    TestCard.refuse_refunds = True
    services.send_refund(refund=refund, actor=staff)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DUE and "refused" in refund.last_error
    TestCard.refuse_refunds = False
    assert services.retry_failed_refunds() == 1
    assert services.retry_failed_refunds() == 0  # run twice: nothing more
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DONE and refund.last_error == ""
    succeeded = PaymentRefund.objects.filter(reference=services.refund_reference(refund), status="succeeded")
    assert succeeded.count() == 1 and succeeded.get().amount == refund.amount


@pytest.mark.postgres
def test_ref4_two_staff_refunding_at_once_send_the_money_once(
    staff, django_capture_on_commit_callbacks, transactional_db
):
    order = delivered_order(django_capture_on_commit_callbacks)
    refund = requests.accept_return(
        request=received(submit(order, {order.lines.first().pk: 1}), staff), actor=staff
    ).refund
    results, crashed = run_together(
        [lambda: services.send_refund(refund=refund, actor=staff), lambda: services.send_refund(refund=refund)]
    )
    assert len(results) == 1 and len(crashed) == 1
    assert isinstance(crashed[0], payment_services.PaymentError)
    assert len(TestCard.refunds) == 1
    assert PaymentRefund.objects.filter(reference=services.refund_reference(refund)).count() == 1


def test_ref4_cash_refund_is_marked_done_by_finance_with_the_transfer_reference(
    staff, django_capture_on_commit_callbacks
):
    order = delivered_order(django_capture_on_commit_callbacks, method="cod")
    request = received(submit(order, {order.lines.first().pk: 1}, iban=KZ_IBAN), staff)
    refund = requests.accept_return(request=request, actor=staff).refund
    with pytest.raises(payment_services.PaymentError):
        services.send_refund(refund=refund, actor=staff)  # no online payment carries cash back
    with pytest.raises(payment_services.PaymentError, match="reference"):
        services.mark_cash_refund_done(refund=refund, bank_reference=" ", actor=staff)
    services.mark_cash_refund_done(refund=refund, bank_reference="PP-0042", actor=staff)
    refund.refresh_from_db()
    request.refresh_from_db()
    assert refund.status == Refund.Status.DONE and refund.provider_reference == "PP-0042"
    assert request.state == ReturnState.REFUNDED
    assert services.mark_cash_refund_done(refund=refund, bank_reference="other", actor=staff).provider_reference == (
        "PP-0042"
    )


def test_ret6_refund_on_proof_of_shipment_only_when_the_shop_switches_it_on(staff, django_capture_on_commit_callbacks):
    """RET-6: without the switch the refund waits for the goods; with it a tracking number is enough."""
    order = delivered_order(django_capture_on_commit_callbacks)
    request = requests.mark_shipped(request=submit(order, {order.lines.first().pk: 1}), tracking_number="KZ1")
    with pytest.raises(ReturnError):
        requests.accept_return(request=request, actor=staff, on_proof_of_shipment=True)
    with override_settings(SHOP_RETURN_REFUND_ON_PROOF_OF_SHIPMENT=True):
        request = requests.accept_return(request=request, actor=staff, on_proof_of_shipment=True)
    assert request.state == ReturnState.ACCEPTED and request.refund.amount == Decimal("10000.00")


def test_cpn3_coupon_comes_back_when_the_whole_purchase_is_returned_for_a_defect(
    staff, django_capture_on_commit_callbacks
):
    coupon = f.coupon("BACK10")
    order = delivered_order(django_capture_on_commit_callbacks, items=(("10000.00", 1),))
    Order.objects.filter(pk=order.pk).update(coupon=coupon, coupon_code=coupon.code)
    type(coupon).objects.filter(pk=coupon.pk).update(times_used=1)
    order.refresh_from_db()
    request = received(submit(order, {order.lines.first().pk: 1}, reason=ReturnReason.DEFECT), staff)
    requests.accept_return(request=request, actor=staff)
    coupon.refresh_from_db()
    assert coupon.times_used == 0
    assert ReturnEvent.objects.filter(action=services.COUPON_REACTIVATED).count() == 1


# --- Sweeps (RET-5, RET-7, REF-5) ---------------------------------------------------------------------------------


def test_ret5_lapse_sweep_is_idempotent_and_finishes_what_a_killed_run_left(django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks, items=(("1000.00", 3),))
    line = order.lines.first()
    made = [submit(order, {line.pk: 1}) for _ in range(3)]
    ReturnRequest.objects.update(send_back_by=timezone.now().date() - timedelta(days=1))
    # a run killed after the first request of its batch (each request moves in its own transaction)
    with transaction.atomic():
        transitions.apply_action(transitions.locked_request(made[0].pk), policy.LAPSE, role="system")
    assert requests.lapse_unsent_returns(batch=2) == 2  # the next run does the rest
    assert requests.lapse_unsent_returns(batch=2) == 0
    assert set(ReturnRequest.objects.values_list("state", flat=True)) == {ReturnState.LAPSED}
    assert all(r.events.filter(action="lapse").count() == 1 for r in made)


def test_ret7_ref5_late_items_are_alerted_once_in_one_digest(staff, django_capture_on_commit_callbacks):
    order = delivered_order(django_capture_on_commit_callbacks)
    late_inspection = received(submit(order, {order.lines.first().pk: 1}), staff)
    ReturnRequest.objects.filter(pk=late_inspection.pk).update(inspect_by=timezone.now().date() - timedelta(days=1))
    refund = requests.accept_return(
        request=received(submit(order, {order.lines.all()[1].pk: 1}), staff), actor=staff
    ).refund
    Refund.objects.filter(pk=refund.pk).update(due_by=timezone.now().date() - timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.flag_late_and_send_digest() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.flag_late_and_send_digest() == 0
    (digest,) = mail.outbox
    assert digest.to == ["support@shop.kz"]
    assert late_inspection.number in digest.body and refund.number in digest.body


@pytest.mark.postgres  # the one-statement bump is PostgreSQL's INSERT ... ON CONFLICT ... RETURNING
def test_number_sequence_is_one_statement(django_capture_on_commit_callbacks):
    assert requests.next_number(2030) == "V-2030-0001"
    assert requests.next_number(2030) == "V-2030-0002"
    assert requests.next_number(2031) == "V-2031-0001"
    assert connection.vendor == "postgresql"
