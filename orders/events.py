"""The order's append-only event log (ORD-5, SUP-2): one function per event type."""

from .models import OrderEvent

CUSTOMER, STAFF, SYSTEM = "customer", "staff", "system"


def _role(actor, role):
    if role:
        return role
    if actor is None:
        return SYSTEM
    return STAFF if actor.is_staff else CUSTOMER


def order_placed(*, order, actor=None, role=CUSTOMER):
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.PLACED,
        to_status=order.status,
        actor=actor,
        actor_role=role,
        at=order.placed_at,
    )


def status_changed(*, order, from_status, to_status, actor=None, role="", message=""):
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_role=_role(actor, role),
        message=message[:500],
    )


def tracking_set(*, order, actor=None, message=""):
    return OrderEvent.objects.create(
        order=order, kind=OrderEvent.Kind.TRACKING, actor=actor, actor_role=_role(actor, ""), message=message[:500]
    )


def cancellation_requested(*, order, actor=None, message=""):
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.CANCELLATION_REQUESTED,
        actor=actor,
        actor_role=CUSTOMER,
        message=message[:500],
    )


def payment_recorded(*, order, actor=None, message=""):
    return OrderEvent.objects.create(
        order=order, kind=OrderEvent.Kind.PAYMENT, actor=actor, actor_role=_role(actor, ""), message=message[:500]
    )


def refund_due(*, order, actor=None, message=""):
    return OrderEvent.objects.create(
        order=order, kind=OrderEvent.Kind.REFUND_DUE, actor=actor, actor_role=_role(actor, ""), message=message[:500]
    )


def payment_method_changed(*, order, actor=None, message=""):
    return OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.PAYMENT_METHOD,
        actor=actor,
        actor_role=CUSTOMER if actor is None or not actor.is_staff else STAFF,
        message=message[:500],
    )
