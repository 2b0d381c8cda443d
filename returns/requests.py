"""Return request use cases (RET-3..8): submit, ship, cancel, lapse, receive, inspect, exchange. Each move is one
transaction under the order's row lock then the request's (always in that order, so two moves never deadlock),
checked against the state table in `returns.policy`, written to the event log, and mailed to the customer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as IbanError

from base.workdays import shop_tz
from loyalty import returned_goods
from orders import locks as order_locks
from orders.models import Order, OrderLine

from . import deadlines, exchange, notifications, policy, services
from .models import (
    ReturnEvent,
    ReturnLine,
    ReturnNumberSequence,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnShipping,
    ReturnState,
)
from .services import loyalty_key
from .transitions import (
    CUSTOMER,
    STAFF,
    SYSTEM,
    ReturnError,
    apply_action,
    locked_request,
    record_event,
)


def next_number(year: int) -> str:
    """V-2026-0001: the year's next request number, from one upsert (no two requests share a number, no gaps
    from a rolled-back read)."""
    table = connection.ops.quote_name(ReturnNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 (the table name is ours)
            "ON CONFLICT (year) DO UPDATE SET last = " + table + ".last + 1 RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"V-{year}-{last:04d}"


def clean_iban(value: str) -> str:
    """A Kazakhstan IBAN (KZ + 18 characters, checked by python-stdnum's mod-97), compact and upper-case; raises
    ReturnError with a message the customer can act on."""
    compact = iban_number.compact(value or "")
    try:
        iban_number.validate(compact)
    except IbanError:
        raise ReturnError(_("This is not a valid IBAN: check it against your bank's details.")) from None
    if not compact.startswith("KZ"):
        raise ReturnError(_("Give the IBAN of an account in a Kazakhstan bank (it starts with KZ)."))
    return compact


def needs_iban(order: Order) -> bool:
    """REF-4: cash and cash-on-delivery money goes back by bank transfer, so the customer gives an account."""
    return deadlines.refund_channel_for(order.payment_method) == policy.CASH


def requested_quantities(order: Order, *, exclude_request_id: int | None = None) -> dict[int, int]:
    """Order line id → units held by the order's requests (RET-3: lapsed, cancelled and rejected give them back)."""
    rows = ReturnLine.objects.filter(request__order=order, request__state__in=policy.HOLDING_STATES)
    if exclude_request_id:
        rows = rows.exclude(request_id=exclude_request_id)
    return dict(rows.values("order_line_id").annotate(units=Sum("quantity")).values_list("order_line_id", "units"))


def returnable_lines(order: Order) -> list[tuple[OrderLine, int, str]]:
    """(line, units that may still be asked back, why not returnable) for each line of the order (RET-2, RET-3)."""
    held = requested_quantities(order)
    result = []
    for line in order.lines.all():
        refusal = policy.returnable_refusal(returnable=line.returnable, reason=line.returns_refusal_reason)
        left = 0 if refusal else policy.returnable_quantity(line.quantity, held.get(line.pk, 0))
        result.append((line, left, refusal.reason if refusal else ""))
    return result


def may_request_return(order: Order, now: datetime | None = None) -> bool:
    return deadlines.withdrawal_state_for(order, now) is policy.Withdrawal.OPEN


def submit_return(
    *,
    order: Order,
    quantities: Mapping[int, int],
    reason: str,
    conditions: Iterable[str] = (),
    shipping: str,
    tracking_number: str = "",
    iban: str = "",
    description: str = "",
    photos: Iterable = (),
    user=None,
    language: str = "",
    now: datetime | None = None,
) -> ReturnRequest:
    """RET-3/RET-4: register a request for `quantities` (order line id → units) of a delivered order within the
    withdrawal period (RET-1). Refuses (ReturnError) lines that are not returnable (RET-2), more units than
    delivered minus already requested — counted under the order's row lock, so two requests at once never
    overbook a line — and a changed-mind return without every condition declared. A tracking number given now
    marks the goods as sent. Mails the confirmation with the request number."""
    now = now or timezone.now()
    wanted = {int(pk): int(units) for pk, units in quantities.items() if int(units) > 0}
    if not wanted:
        raise ReturnError(_("Choose at least one item and how many units to return."))
    if reason not in ReturnReason.values:
        raise ReturnError(_("Choose the reason for the return."))
    if shipping not in ReturnShipping.values:
        raise ReturnError(_("Choose how the goods come back."))
    declared = [c for c in conditions if c in policy.RETURN_CONDITIONS]
    if reason == ReturnReason.CHANGED_MIND and policy.unmet_conditions(declared):
        raise ReturnError(
            _(
                "Goods returned without a defect must be unused, with seals and labels intact, in the original "
                "packaging and complete: confirm each of these."
            )
        )
    with transaction.atomic():
        order = order_locks.order_for_update(order.pk)
        if not may_request_return(order, now):
            raise ReturnError(
                _("This order cannot be returned: it is not delivered yet or the 14-day withdrawal period is over.")
            )
        account = clean_iban(iban) if needs_iban(order) else ""
        lines = {line.pk: line for line in order.lines.all()}
        held = requested_quantities(order)
        for pk, units in wanted.items():
            line = lines.get(pk)
            if line is None:
                raise ReturnError(_("This item is not in the order."))
            refusal = policy.returnable_refusal(returnable=line.returnable, reason=line.returns_refusal_reason)
            if refusal is not None:
                raise ReturnError(
                    _("%(product)s cannot be returned: %(reason)s")
                    % {"product": line.product_name, "reason": refusal.reason or _("not returnable")}
                )
            if units > policy.returnable_quantity(line.quantity, held.get(pk, 0)):
                raise ReturnError(
                    _("At most %(left)d of %(product)s can still be returned.")
                    % {"left": policy.returnable_quantity(line.quantity, held.get(pk, 0)), "product": line.product_name}
                )
        request = ReturnRequest.objects.create(
            number=next_number(timezone.localtime(now, shop_tz()).year),
            order=order,
            user=user if user is not None and user.is_authenticated else None,
            email=order.email,
            language=language or order.language,
            reason=reason,
            description=description[:2000],
            unused=policy.UNUSED in declared,
            seals_and_labels_intact=policy.SEALS_AND_LABELS_INTACT in declared,
            original_packaging=policy.ORIGINAL_PACKAGING in declared,
            complete_set=policy.COMPLETE_SET in declared,
            shipping=shipping,
            iban=account,
            created_at=now,
            send_back_by=deadlines.send_back_deadline_for(now),
        )
        ReturnLine.objects.bulk_create(
            [ReturnLine(request=request, order_line_id=pk, quantity=units) for pk, units in wanted.items()]
        )
        for photo in photos:
            ReturnPhoto.objects.create(request=request, image=photo)
        record_event(
            request,
            action="submit",
            from_state="",
            actor=request.user,
            role=CUSTOMER,
            quantities={str(pk): units for pk, units in wanted.items()},
            at=now,
        )
        returned_goods.return_requested(key=loyalty_key(request), order_id=order.pk, quantities=wanted, at=now)
        notifications.notify(request, "submitted")
        if tracking_number.strip() and shipping == ReturnShipping.OWN_SHIPMENT:
            apply_action(request, policy.SHIP, actor=request.user, role=CUSTOMER, note=tracking_number, now=now)
            request.tracking_number = tracking_number.strip()[:64]
            request.save(update_fields=["tracking_number"])
    return request


def mark_shipped(*, request: ReturnRequest, tracking_number: str = "", actor=None, role="") -> ReturnRequest:
    """RET-5: the goods are on their way (own shipment with a tracking number, or the courier picked them up)."""
    tracking = tracking_number.strip()[:64]
    with transaction.atomic():
        locked = locked_request(request.pk)
        if locked.shipping == ReturnShipping.OWN_SHIPMENT and not tracking:
            raise ReturnError(_("Give the tracking number of the parcel."))
        apply_action(locked, policy.SHIP, actor=actor, role=role, note=tracking)
        if tracking:
            locked.tracking_number = tracking
            locked.save(update_fields=["tracking_number"])
    return locked


def cancel_return(*, request: ReturnRequest, actor=None) -> ReturnRequest:
    """The customer withdraws the request before the goods are sent; the units may be asked back again."""
    with transaction.atomic():
        locked = apply_action(locked_request(request.pk), policy.CANCEL, actor=actor, role=CUSTOMER)
        returned_goods.return_withdrawn(key=loyalty_key(locked))
    return locked


def mark_received(*, request: ReturnRequest, actor=None) -> ReturnRequest:
    """The goods reached the shop: the inspection answers within 5 working days (RET-7)."""
    with transaction.atomic():
        return apply_action(locked_request(request.pk), policy.RECEIVE, actor=actor, role=STAFF)


def _deduction(amount, reason: str) -> tuple[Decimal, str]:
    try:
        value = Decimal(str(amount or 0)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ReturnError(_("The deduction must be an amount in tenge.")) from None
    if value < 0 or not value.is_finite():
        raise ReturnError(_("The deduction must not be negative."))
    if value and not reason.strip():
        raise ReturnError(_("A deduction needs its documented reason."))
    return value, reason.strip()[:500] if value else ""


def accept_return(
    *, request: ReturnRequest, actor=None, deduction=0, deduction_reason: str = "", on_proof_of_shipment=False
) -> ReturnRequest:
    """RET-7: the inspection accepts the goods (with a documented deduction for damage, or none) and ONE refund is
    created with its breakdown (REF-1/2/3); on a shop whose RET-6 switch is on, a proof of shipment is enough."""
    amount, reason = _deduction(deduction, deduction_reason)
    now = timezone.now()
    with transaction.atomic():
        locked = locked_request(request.pk)
        _refuse_while_exchanging(locked)
        action = policy.ACCEPT_ON_PROOF if on_proof_of_shipment else policy.ACCEPT
        locked.deduction_amount, locked.deduction_reason = amount, reason
        locked.save(update_fields=["deduction_amount", "deduction_reason"])
        apply_action(locked, action, actor=actor, role=STAFF, note=reason, now=now)
        refund = services.refund_for_return(request=locked, actor=actor, now=now)  # settles the bonuses too
        if refund is not None:
            locked.refund = refund
            locked.save(update_fields=["refund"])
        services.reactivate_coupon_if_due(request=locked, actor=actor)
    return locked


def _int_quantities(request) -> dict[int, int]:
    return {line.order_line_id: line.quantity for line in request.lines.all()}


def reject_return(*, request: ReturnRequest, reason: str, actor=None) -> ReturnRequest:
    """RET-7: not in saleable condition — rejected with the reason, the goods go back to the customer."""
    if not (reason or "").strip():
        raise ReturnError(_("Say why the return is rejected."))
    with transaction.atomic():
        locked = locked_request(request.pk)
        _refuse_while_exchanging(locked)
        locked.rejection_reason = reason.strip()[:500]
        locked.save(update_fields=["rejection_reason"])
        apply_action(locked, policy.REJECT, actor=actor, role=STAFF, note=locked.rejection_reason)
        returned_goods.return_withdrawn(key=loyalty_key(locked))
    return locked


def exchange_return(
    *, request: ReturnRequest, variant_id: int, quantity: int, note: str = "", actor=None
) -> ReturnRequest:
    """RET-8: the inspected goods are exchanged instead of refunded — the same item or another from the catalogue,
    the price difference settled (`returns.exchange`, shared with the warranty's exchange remedy)."""
    made = exchange.exchange_for_return(
        request=request, variant_id=variant_id, quantity=quantity, actor=actor, note=note
    )
    return ReturnRequest.objects.select_related("order", "refund").get(pk=made.request_id)


def _refuse_while_exchanging(request: ReturnRequest) -> None:
    """RET-8: a request whose exchange waits for the customer's difference is decided already."""
    if exchange.live_exchange(request=request) is not None:
        raise ReturnError(_("This request is being exchanged: the customer is paying the price difference."))


# --- Sweeps (RET-5, RET-7) ----------------------------------------------------------------------------------------


def lapse_unsent_returns(*, today=None, batch: int = 500) -> int:
    """RET-5: requests whose goods were not sent by their send-back day lapse. Set-based per batch, so a batch costs
    the same few queries however large: the batch's rows are locked (skipping rows another move holds), moved in
    one UPDATE that re-checks the state, logged with one bulk insert, and each customer is mailed. Each batch commits
    on its own: a run killed mid-way leaves whole batches done and the next run does the rest; run twice, the
    second finds nothing."""
    today = today or timezone.localtime(timezone.now(), shop_tz()).date()
    lapsed = 0
    while True:
        with transaction.atomic():
            rows = list(
                ReturnRequest.objects.select_for_update(skip_locked=True)
                .filter(state=ReturnState.SUBMITTED, send_back_by__lt=today)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not rows:
                return lapsed
            now = timezone.now()
            ReturnRequest.objects.filter(pk__in=rows, state=ReturnState.SUBMITTED).update(
                state=ReturnState.LAPSED, closed_at=now
            )
            moved = list(
                ReturnRequest.objects.filter(pk__in=rows)
                .select_related("order", "refund")
                .prefetch_related("lines__order_line")
            )
            ReturnEvent.objects.bulk_create(
                [
                    ReturnEvent(
                        request=request,
                        action=policy.LAPSE,
                        from_state=ReturnState.SUBMITTED,
                        to_state=ReturnState.LAPSED,
                        actor_role=SYSTEM,
                        quantities={str(line.order_line_id): line.quantity for line in request.lines.all()},
                        at=now,
                    )
                    for request in moved
                ]
            )
            for request in moved:
                returned_goods.return_withdrawn(key=loyalty_key(request))
                notifications.notify(request, ReturnState.LAPSED)
            lapsed += len(moved)


def overdue_filter(today) -> Q:
    """Requests that are late on the shop's side: an inspection past its deadline or a refund past its own."""
    return Q(state=ReturnState.RECEIVED, inspect_by__lt=today) | Q(
        state=ReturnState.ACCEPTED, refund__due_by__lt=today, refund__status__in=services.Refund.OPEN_STATUSES
    )
