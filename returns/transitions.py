"""Moving a return request along the state table (`returns.policy.RETURN_TRANSITIONS`): the locks, the event log
entry and the customer's mail every move shares. Used by `returns.requests` (the customer's and support's moves)
and `returns.services` (a refund that went out closes its request)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import locks as order_locks

from . import deadlines, notifications, policy
from .models import ReturnEvent, ReturnRequest, ReturnState

CUSTOMER, STAFF, SYSTEM = "customer", "staff", "system"
CLOSED_STATES = (
    ReturnState.REJECTED,
    ReturnState.REFUNDED,
    ReturnState.EXCHANGED,
    ReturnState.LAPSED,
    ReturnState.CANCELLED,
)


class ReturnError(Exception):
    """A request or move the rules refuse; `message` is for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def record_event(request, *, action, from_state, actor=None, role="", quantities=None, note="", at=None):
    role = role or (SYSTEM if actor is None else (STAFF if actor.is_staff else CUSTOMER))
    return ReturnEvent.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        actor=actor,
        actor_role=role,
        quantities=quantities or {},
        note=(note or "")[:500],
        at=at or timezone.now(),
    )


def line_quantities(request) -> dict[str, int]:
    return {str(line.order_line_id): line.quantity for line in request.lines.all()}


def locked_request(request_id: int) -> ReturnRequest:
    """The order's lock, then the request's: the order line counts and the refund split read the whole order."""
    order_id = ReturnRequest.objects.filter(pk=request_id).values_list("order_id", flat=True).get()
    order_locks.order_for_update(order_id)
    return ReturnRequest.objects.select_for_update().select_related("order").get(pk=request_id)


def apply_action(request, action, *, actor=None, role="", note="", now=None, mail=True) -> ReturnRequest:
    """Move a (locked) request along the state table, log it and mail the customer."""
    now = now or timezone.now()
    before = request.state
    try:
        request.state = policy.next_state(
            before, action, refund_on_proof_of_shipment=settings.SHOP_RETURN_REFUND_ON_PROOF_OF_SHIPMENT
        )
    except policy.NotAllowed:
        raise ReturnError(
            _("The request %(number)s is %(state)s: this cannot be done now.")
            % {"number": request.number, "state": ReturnState(before).label}
        ) from None
    fields = ["state"]
    if action == policy.SHIP:
        request.shipped_at = now
        fields.append("shipped_at")
    if action == policy.RECEIVE and request.received_at is None:
        request.received_at = now
        request.inspect_by = deadlines.inspection_deadline_for(now)
        fields += ["received_at", "inspect_by"]
    if action in (policy.ACCEPT, policy.ACCEPT_ON_PROOF, policy.REJECT, policy.EXCHANGE):
        request.inspected_at = now
        fields.append("inspected_at")
    if request.state in CLOSED_STATES:
        request.closed_at = now
        fields.append("closed_at")
    request.save(update_fields=fields)
    record_event(
        request,
        action=action,
        from_state=before,
        actor=actor,
        role=role,
        quantities=line_quantities(request),
        note=note,
        at=now,
    )
    if mail and request.state != before:
        notifications.notify(request, request.state)
    return request
