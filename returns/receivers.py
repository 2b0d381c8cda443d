"""What returns does when orders or payments announce something: a paid order that is cancelled or refused owes
a refund (ORD-6, REF-1); a refund the provider confirmed settles the refund due it was sent for (PAY-7); an
exchange order paid completes its exchange, one cancelled unpaid drops it (RET-8, WAR-4)."""

from django.dispatch import receiver

from orders import signals as order_signals
from payments import signals as payment_signals

from . import exchange, services
from .models import Refund


@receiver(order_signals.order_cancelled, dispatch_uid="returns.refund_due_on_cancel")
def refund_due_on_cancel(sender, *, order, actor=None, **kwargs):
    if order.paid_amount > 0:
        services.record_refund_due(order=order, reason=Refund.Reason.CANCELLATION, actor=actor)


@receiver(order_signals.order_paid, dispatch_uid="returns.exchange_paid")
def exchange_paid(sender, *, order, **kwargs):
    exchange.complete_paid_exchange(order=order)


@receiver(order_signals.order_cancelled, dispatch_uid="returns.exchange_dropped")
def exchange_dropped(sender, *, order, **kwargs):
    exchange.drop_unpaid_exchange(order=order)


@receiver(order_signals.order_refused, dispatch_uid="returns.refund_due_on_refusal")
def refund_due_on_refusal(sender, *, order, actor=None, **kwargs):
    if order.paid_amount > 0:
        services.record_refund_due(order=order, reason=Refund.Reason.REFUSED, actor=actor)


@receiver(payment_signals.refund_completed, dispatch_uid="returns.settle_refund")
def settle_refund(sender, *, refund, **kwargs):
    refund_id = services.refund_id_of(refund.reference)
    if refund_id is not None:
        services.settle_refund(refund_id=refund_id)
