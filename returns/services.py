"""Refund use cases (REF): the refund due that a cancelled or refused paid order creates (ORD-6), sending it back
through the payments that paid the order (PAY-7), and settling it once the provider confirms. Returns, claims and
deadlines (REF-5) come with their issues."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import events as order_events
from orders import locks as order_locks
from orders.models import Order, OrderStatus
from payments import services as payment_services
from payments.models import Payment, PaymentRefund, PaymentStatus

from . import deadlines
from .models import Refund, RefundLine

REFERENCE_PREFIX = "returns.refund:"


def refund_reference(refund: Refund) -> str:
    """How payments names this refund due on the money it sends (an opaque string to payments)."""
    return f"{REFERENCE_PREFIX}{refund.pk}"


def refund_id_of(reference: str) -> int | None:
    if not reference.startswith(REFERENCE_PREFIX):
        return None
    number = reference.removeprefix(REFERENCE_PREFIX)
    return int(number) if number.isdigit() else None


@transaction.atomic
def record_refund_due(*, order, reason: str, actor=None) -> Refund:
    """Everything the customer paid for a cancelled (or refused) order is owed back, line by line (REF-1:
    each line's paid amount, i.e. net of its discount share) plus the delivery they paid for. Idempotent: a
    second call for the same order and reason returns the first record (the order's row lock serialises the
    signal's receiver and the sweep)."""
    order_locks.order_for_update(order.pk)
    existing = Refund.objects.filter(order=order, reason=reason).first()
    if existing is not None:
        return existing
    lines = list(order.lines.all())
    goods = sum((line.paid_total for line in lines), 0)
    delivery = max(order.paid_amount - goods, 0) if order.paid_amount else 0
    delivery_part = min(delivery, order.delivery_cost)
    refund = Refund.objects.create(
        order=order,
        reason=reason,
        amount=order.paid_amount,
        goods_amount=order.paid_amount - delivery_part,
        delivery_amount=delivery_part,
        currency=order.currency,
        payment_method=order.payment_method,
        due_by=deadlines.refund_deadline_for(order.payment_method, timezone.now()),
    )
    RefundLine.objects.bulk_create(
        [RefundLine(refund=refund, order_line=line, quantity=line.quantity, amount=line.paid_total) for line in lines]
    )
    order_events.refund_due(order=order, actor=actor, message=f"{refund.amount} {order.currency}")
    return refund


CLOSED_REASONS = {OrderStatus.CANCELLED: Refund.Reason.CANCELLATION, OrderStatus.REFUSED: Refund.Reason.REFUSED}


def record_missing_refunds_due(*, limit: int = 500) -> int:
    """The sweep behind the order signals: paid orders that were cancelled or refused and have no refund due yet
    (a receiver that failed, a worker that died after the commit) get one. Idempotent; returns how many."""
    made = 0
    for status, reason in CLOSED_REASONS.items():
        orders = (
            Order.objects.filter(status=status, paid_amount__gt=0)
            .exclude(refunds__reason=reason)
            .order_by("pk")[:limit]
        )
        for order in orders:
            record_refund_due(order=order, reason=reason)
            made += 1
    return made


def _sent_or_in_flight(refund: Refund) -> object:
    return (
        PaymentRefund.objects.filter(
            reference=refund_reference(refund),
            status__in=[PaymentRefund.Status.SUCCEEDED, PaymentRefund.Status.PENDING],
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def send_refund(*, refund: Refund, actor=None) -> list[PaymentRefund]:
    """PAY-7: send a refund due back through the payments that paid the order (REF-4: the way it was paid), full
    or partial; refused (PaymentError) when nothing is left to send, so pressing twice never pays twice."""
    left = refund.amount - _sent_or_in_flight(refund)
    if left <= 0:
        raise payment_services.PaymentError(_("This refund has already been sent."))
    sent = []
    for payment in Payment.objects.filter(order_id=refund.order_id, status=PaymentStatus.SUCCEEDED).order_by("id"):
        if left <= 0:
            break
        part = min(left, payment.refundable)
        if part <= 0:
            continue
        sent.append(
            payment_services.refund(
                payment=payment,
                amount=part,
                reason=PaymentRefund.Reason.REFUND_DUE,
                actor=actor,
                reference=refund_reference(refund),
                key=f"due:{refund.pk}:{payment.pk}",
            )
        )
        left -= part
    if not sent:
        raise payment_services.PaymentError(
            _("No online payment of this order can carry the refund; pay it back another way.")
        )
    settle_refund(refund_id=refund.pk)
    return sent


@transaction.atomic
def settle_refund(*, refund_id: int) -> Refund | None:
    """Mark a refund due "done" once the provider has confirmed all of it. Idempotent."""
    due = Refund.objects.select_for_update().filter(pk=refund_id).first()
    if due is None or due.status == Refund.Status.DONE:
        return due
    done = PaymentRefund.objects.filter(reference=refund_reference(due), status=PaymentRefund.Status.SUCCEEDED)
    total = done.aggregate(s=Sum("amount"))["s"] or 0
    if total >= due.amount:
        due.status = Refund.Status.DONE
        due.refunded_at = timezone.now()
        due.provider_reference = done.order_by("-completed_at", "-id").values_list("provider_refund_id", flat=True)[0]
        due.save(update_fields=["status", "refunded_at", "provider_reference"])
    return due
