"""Refund use cases: for now, the "refund due" record an order cancellation creates (ORD-6); the returns issue
adds returns, claims, deadlines (REF-5) and sending the money back through the payment adapter."""

from django.db import transaction

from .models import Refund, RefundLine


@transaction.atomic
def record_refund_due(*, order, reason: str, actor=None) -> Refund:
    """Everything the customer paid for a cancelled (or refused) order is owed back, line by line (REF-1:
    each line's paid amount, i.e. net of its discount share) plus the delivery they paid for. Idempotent: a
    second call for the same order and reason returns the first record."""
    existing = Refund.objects.filter(order=order, reason=reason).first()
    if existing is not None:
        return existing
    lines = list(order.lines.all())
    goods = sum((line.paid_total for line in lines), 0)
    delivery = max(order.paid_amount - goods, 0) if order.paid_amount else 0
    refund = Refund.objects.create(
        order=order,
        reason=reason,
        amount=order.paid_amount,
        delivery_amount=min(delivery, order.delivery_cost),
        currency=order.currency,
        payment_method=order.payment_method,
    )
    RefundLine.objects.bulk_create(
        [RefundLine(refund=refund, order_line=line, quantity=line.quantity, amount=line.paid_total) for line in lines]
    )
    return refund
