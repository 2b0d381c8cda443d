"""After the order is placed (ORD-5, ORD-6): confirm, pay, assemble, ship, deliver, complete; cancel and refuse.

Every change locks the order row, checks the transition against `policy.transitions()`, appends an event with the
actor, queues the customer's mail and announces the change (`orders.signals`) after commit. Cancelling or
refusing puts the stock back; the returns app listens and records the refund due of a paid order."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events, locks, policy, signals
from ..discount_sources import release_discount
from ..models import Order, OrderStatus
from ..payment_methods import get_adapter
from ..stock.services import release_stock
from .notifications import notify


class TransitionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


STAMPS = {
    OrderStatus.CONFIRMED: "confirmed_at",
    OrderStatus.PAID: "paid_at",
    OrderStatus.SHIPPED: "shipped_at",
    OrderStatus.DELIVERED: "delivered_at",
    OrderStatus.COMPLETED: "closed_at",
    OrderStatus.CANCELLED: "closed_at",
    OrderStatus.REFUSED: "closed_at",
}
SIGNALS = {
    OrderStatus.CONFIRMED: signals.order_confirmed,
    OrderStatus.SHIPPED: signals.order_shipped,
    OrderStatus.DELIVERED: signals.order_delivered,
    OrderStatus.CANCELLED: signals.order_cancelled,
    OrderStatus.REFUSED: signals.order_refused,
}
MAILED = {
    OrderStatus.CONFIRMED: "confirmed",
    OrderStatus.PAID: "paid",
    OrderStatus.SHIPPED: "shipped",
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.CANCELLED: "cancelled",
}


def pays_on_delivery(order: Order) -> bool:
    adapter = get_adapter(order.payment_method)
    return bool(adapter and adapter.pays_on_delivery)


def _move(order: Order, target: str, *, actor, message: str = "", role: str = "", mail: bool = True) -> Order:
    """Lock, check and record one transition; returns the fresh, locked order."""
    locked = locks.order_for_update(order.pk)
    if locked.status == target:
        raise TransitionError(_("The order is already “%(status)s”.") % {"status": OrderStatus(target).label})
    if target not in policy.next_statuses(locked.status, pays_on_delivery=pays_on_delivery(locked)) and not (
        target == OrderStatus.CANCELLED and policy.can_transition(locked.status, target)
    ):
        raise TransitionError(
            _("An order that is “%(current)s” cannot become “%(target)s”.")
            % {"current": OrderStatus(locked.status).label, "target": OrderStatus(target).label}
        )
    now = timezone.now()
    previous = locked.status
    locked.status = target
    fields = ["status"]
    stamp = STAMPS.get(target)
    if stamp:
        setattr(locked, stamp, now)
        fields.append(stamp)
    locked.save(update_fields=fields)
    events.status_changed(order=locked, from_status=previous, to_status=target, actor=actor, role=role, message=message)
    if policy.releases_stock(target):
        release_stock(locked)
    if mail and target in MAILED:
        notify(locked, MAILED[target], reason=message)
    if target in SIGNALS:
        signals.send_after_commit(SIGNALS[target], order=locked, actor=actor, reason=message)
    order.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def confirm_order(*, order: Order, actor=None) -> Order:
    """ORD-5: the contract exists from here; stock was reserved at placement. An order paid online before the
    shop confirmed it goes straight on to "paid" (being assembled)."""
    locked = _move(order, OrderStatus.CONFIRMED, actor=actor)
    if locked.paid_amount >= locked.total and not pays_on_delivery(locked):
        locked = _move(locked, OrderStatus.PAID, actor=actor)
        order.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def refuse_order(*, order: Order, actor, reason: str) -> Order:
    """ORD-5: the shop declines a placed order (e.g. no stock after all); the customer is told why."""
    if not reason.strip():
        raise TransitionError(_("Say why the order is refused: the customer receives it."))
    if order.status != OrderStatus.PLACED:
        raise TransitionError(_("Only an order not yet confirmed can be refused; cancel it instead."))
    return cancel_order(order=order, actor=actor, reason=reason)


@transaction.atomic
def cancel_order(*, order: Order, actor, reason: str = "") -> Order:
    """ORD-6: support cancels (the customer only asks). Stock goes back, the discount's source gives back what it
    took (`discount_sources.release_discount`); money paid becomes a refund due (the returns app listens)."""
    locked = _move(order, OrderStatus.CANCELLED, actor=actor, message=reason)
    release_discount(order=locked)
    if reason:
        Order.objects.filter(pk=locked.pk).update(cancellation_reason=reason[:500])
        locked.cancellation_reason = reason[:500]
    return locked


@transaction.atomic
def set_status(*, order: Order, target: str, actor, message: str = "") -> Order:
    """A plain step along the flow (assembling, delivered, completed, refused at delivery...)."""
    if target == OrderStatus.SHIPPED:
        raise TransitionError(_("Use “mark shipped” to give the tracking number."))
    if target == OrderStatus.CANCELLED:
        return cancel_order(order=order, actor=actor, reason=message)
    if target == OrderStatus.PAID:
        return mark_paid(order=order, actor=actor, amount=order.total)
    return _move(order, target, actor=actor, message=message)


@transaction.atomic
def mark_shipped(*, order: Order, actor, tracking_number: str, carrier: str = "") -> Order:
    """ORD-5/ORD-7: shipped with its tracking number (the mail and the cabinet show the carrier's link)."""
    tracking_number = tracking_number.strip()
    if not tracking_number or len(tracking_number) > 64:
        raise TransitionError(_("Enter the tracking number (up to 64 characters)."))
    locked = locks.order_for_update(order.pk)
    locked.tracking_number = tracking_number
    if carrier:
        locked.carrier = carrier[:40]
    locked.save(update_fields=["tracking_number", "carrier"])
    events.tracking_set(order=locked, actor=actor, message=tracking_number)
    return _move(locked, OrderStatus.SHIPPED, actor=actor, message=tracking_number)


@transaction.atomic
def mark_paid(*, order: Order, actor, amount: Decimal, reference: str = "") -> Order:
    """Money received. Online payments move confirmed → paid ("being assembled" mail); cash on delivery is
    collected at the door, so the status stays and only the payment is recorded."""
    locked = locks.order_for_update(order.pk)
    if locked.paid_amount >= locked.total:
        raise TransitionError(_("The order is already paid."))
    if amount != locked.total:
        raise TransitionError(_("The amount must equal the order total, %(total)s ₸.") % {"total": locked.total})
    if pays_on_delivery(locked):
        if locked.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            raise TransitionError(_("Cash on delivery is marked paid when the order is shipped or delivered."))
    elif locked.status != OrderStatus.CONFIRMED:
        raise TransitionError(_("Only a confirmed order can be paid."))
    now = timezone.now()
    Order.objects.filter(pk=locked.pk).update(paid_amount=amount, paid_at=now)
    locked.paid_amount, locked.paid_at = amount, now
    events.payment_recorded(
        order=locked, actor=actor, message=f"{amount} {locked.currency} {locked.payment_method} {reference}".strip()
    )
    signals.send_after_commit(signals.order_paid, order=locked, actor=actor, amount=amount)
    if not pays_on_delivery(locked):
        locked = _move(locked, OrderStatus.PAID, actor=actor)
    order.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def record_online_payment(*, order: Order, amount: Decimal, reference: str = "") -> Order:
    """PAY/ORD-5: the provider took the money (the payments services checked amount, currency and that the order
    can take it). A placed order is confirmed by the payment when `SHOP_CONFIRM_WHEN_PAID` (its stock is reserved
    already); a confirmed order becomes "paid" and the customer gets the "being assembled" mail."""
    locked = locks.order_for_update(order.pk)
    if locked.paid_amount > 0:
        raise TransitionError(_("The order is already paid."))
    if locked.status not in (OrderStatus.PLACED, OrderStatus.CONFIRMED):
        raise TransitionError(_("Only a placed or confirmed order can be paid."))
    now = timezone.now()
    Order.objects.filter(pk=locked.pk).update(paid_amount=amount, paid_at=now)
    locked.paid_amount, locked.paid_at = amount, now
    events.payment_recorded(order=locked, actor=None, message=f"{amount} {locked.currency} {reference}".strip())
    signals.send_after_commit(signals.order_paid, order=locked, actor=None, amount=amount)
    if locked.status == OrderStatus.PLACED and (settings.SHOP_CONFIRM_WHEN_PAID or settings.SHOP_AUTO_CONFIRM_ORDERS):
        locked = _move(locked, OrderStatus.CONFIRMED, actor=None, mail=False)
    if locked.status == OrderStatus.CONFIRMED:
        locked = _move(locked, OrderStatus.PAID, actor=None)
    order.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def request_cancellation(*, order: Order, user, reason: str) -> Order:
    """ORD-6: the customer asks; support decides. Allowed until the order is shipped, once."""
    locked = locks.order_for_update(order.pk)
    if not policy.customer_may_cancel(locked.status):
        raise TransitionError(_("The order has already been shipped: you can refuse it at delivery or return it."))
    if locked.cancellation_requested_at:
        raise TransitionError(_("You have already asked to cancel this order; support will answer soon."))
    locked.cancellation_requested_at = timezone.now()
    locked.cancellation_reason = reason.strip()[:500]
    locked.save(update_fields=["cancellation_requested_at", "cancellation_reason"])
    events.cancellation_requested(order=locked, actor=user if user and user.is_authenticated else None, message=reason)
    order.__dict__.update(locked.__dict__)
    return locked
