"""Refund use cases (REF): one path creates every refund — a cancelled or refused paid order (ORD-6), an accepted
return (RET-7) and a warranty claim's refund remedy (WAR-4) — with its breakdown and REF-5 deadline; it goes back
through the payments that paid the order (PAY-7) or by bank transfer marked done by Finance (cash), and settles once
the provider confirms. The REF-5 sweeps retry refused provider calls and flag overdue refunds."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from base.money import ZERO
from loyalty import returned_goods
from orders import events as order_events
from orders import locks as order_locks
from orders.coupons import services as coupon_services
from orders.models import Order, OrderStatus
from payments import services as payment_services
from payments.models import Payment, PaymentRefund, PaymentStatus

from . import deadlines, notifications, policy, transitions
from .models import Refund, RefundLine, ReturnEvent, ReturnLine, ReturnReason, ReturnRequest, ReturnState

COUPON_REACTIVATED = "coupon_reactivated"
# Reasons where the shop is at fault: delivery is refunded and return shipping is the shop's (REF-2).
SHOP_FAULT_REASONS = frozenset({ReturnReason.DEFECT, ReturnReason.WRONG_ITEM, ReturnReason.DAMAGED})

REFERENCE_PREFIX = "returns.refund:"


def refund_reference(refund: Refund) -> str:
    """How payments names this refund due on the money it sends (an opaque string to payments)."""
    return f"{REFERENCE_PREFIX}{refund.pk}"


def refund_id_of(reference: str) -> int | None:
    if not reference.startswith(REFERENCE_PREFIX):
        return None
    number = reference.removeprefix(REFERENCE_PREFIX)
    return int(number) if number.isdigit() else None


def _create_refund(
    *,
    order,
    reason: str,
    lines: list[tuple[object, int, Decimal]],
    delivery: Decimal,
    deductions: Decimal = ZERO,
    deduction_reason: str = "",
    bonus_clawback: Decimal = ZERO,
    bonuses_returned: int = 0,
    actor=None,
    now=None,
) -> Refund | None:
    """The one path every refund takes (cancellation, refusal, return): the breakdown per order line and
    quantity (REF-1), delivery (REF-2), deductions (RET-7) and bonuses (REF-3), the method the order was paid
    with (REF-4) and the REF-5 deadline for that method. The bonus clawback is capped so the money owed never goes
    below zero; nothing owed → no refund (None)."""
    now = now or timezone.now()
    goods = sum((amount for _line, _units, amount in lines), ZERO)
    before_clawback = goods + delivery - deductions
    if before_clawback <= 0:
        return None
    clawback = min(bonus_clawback, before_clawback)
    if before_clawback - clawback <= 0:
        return None
    refund = Refund.objects.create(
        order=order,
        reason=reason,
        amount=before_clawback - clawback,
        goods_amount=goods,
        delivery_amount=delivery,
        deductions=deductions,
        deduction_reason=deduction_reason[:500],
        bonus_clawback=clawback,
        bonuses_returned=bonuses_returned,
        currency=order.currency,
        payment_method=order.payment_method,
        due_by=deadlines.refund_deadline_for(order.payment_method, now),
    )
    RefundLine.objects.bulk_create(
        [RefundLine(refund=refund, order_line=line, quantity=units, amount=amount) for line, units, amount in lines]
    )
    order_events.refund_due(order=order, actor=actor, message=f"{refund.number}: {refund.amount} {order.currency}")
    return refund


def refund_for_exchange(*, order, reason: str, lines, actor=None, now=None) -> Refund | None:
    """RET-8/WAR-4: a cheaper replacement — the part of what the returned units paid that the replacement does not
    use goes back through the one refund path (`_create_refund`: its lines, the order's payment method, the REF-5
    deadline). No delivery, no deductions, no bonuses: those stay with the exchanged purchase. The caller
    (`returns.exchange`) holds the order's lock and worked the amounts out (`policy.exchange_settlement`)."""
    return _create_refund(order=order, reason=reason, lines=lines, delivery=ZERO, actor=actor, now=now)


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
    goods = sum((line.paid_total for line in lines), ZERO)
    delivery = max(order.paid_amount - goods, ZERO) if order.paid_amount else ZERO
    delivery_part = min(delivery, order.delivery_cost)
    paid_goods = order.paid_amount - delivery_part
    if paid_goods == goods:
        parts = [(line, line.quantity, line.paid_total) for line in lines]
    else:  # a part payment: the goods part is what was paid, spread over the lines no further than each paid
        parts, left = [], paid_goods
        for line in lines:
            share = min(line.paid_total, left)
            left -= share
            if share > 0:
                parts.append((line, line.quantity, share))
    return _create_refund(order=order, reason=reason, lines=parts, delivery=delivery_part, actor=actor)


def loyalty_key(request: ReturnRequest) -> str:
    """How loyalty names the bonuses held and settled for a return request."""
    return f"return:{request.pk}"


def refund_for_returned_goods(
    *,
    order,
    reason: str,
    quantities: Mapping[int, int],
    shop_fault: bool,
    loyalty_key: str,
    deduction: Decimal = ZERO,
    deduction_reason: str = "",
    actor=None,
    now=None,
) -> Refund | None:
    """The one path for goods that come back — an accepted return (RET-7) or a warranty refund (WAR-4) — to their
    refund (the caller holds the order's lock; `quantities`: order line id → units back):
    - LOY-9/REF-3 first and whatever the money: their bonuses settle (an accrual cancelled or clawed back, bonuses
      spent on them back as bonuses), once per `loyalty_key`;
    - REF-1 per line the next units of `policy.unit_refunds` after those refunded before, so successive partial
      refunds split each line's discount to the tiyn and never refund more than it paid;
    - REF-2 delivery only for the shop's fault (a defect; or the shop's full-withdrawal switch), never twice;
    - the documented deduction and the loyalty clawback shortfall, then `_create_refund`.
    Nothing paid, or no unit left to refund → None."""
    now = now or timezone.now()
    bonuses = returned_goods.goods_returned(key=loyalty_key, order_id=order.pk, quantities=quantities, at=now)
    if order.paid_amount <= 0:
        return None
    refunded_units = dict(
        RefundLine.objects.filter(refund__order=order)
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
        .values_list("order_line_id", "units")
    )
    order_lines = list(order.lines.all())
    parts = []
    for line in order_lines:
        before = refunded_units.get(line.pk, 0)
        units = min(int(quantities.get(line.pk, 0)), line.quantity - before)
        if units <= 0:
            continue
        parts.append((line, units, policy.refund_for_units(line.paid_total, line.quantity, before, units)))
        refunded_units[line.pk] = before + units
    if not parts:
        return None
    everything_back = all(refunded_units.get(line.pk, 0) >= line.quantity for line in order_lines)
    delivery = deadlines.delivery_refund_for(
        delivery_paid=min(order.delivery_cost, order.paid_amount),
        defective=shop_fault,
        full_withdrawal=everything_back,
        already_refunded=Refund.objects.filter(order=order).aggregate(s=Sum("delivery_amount"))["s"] or ZERO,
    )
    deducted = min(deduction, sum((amount for *_rest, amount in parts), ZERO) + delivery)
    return _create_refund(
        order=order,
        reason=reason,
        lines=parts,
        delivery=delivery,
        deductions=deducted,
        deduction_reason=deduction_reason if deducted else "",
        bonus_clawback=bonuses.clawback_shortfall,
        bonuses_returned=bonuses.bonuses_back,
        actor=actor,
        now=now,
    )


def refund_for_return(*, request, actor=None, now=None) -> Refund | None:
    """REF-1/2/3 and LOY-9 for an accepted return (the caller holds the order's and the request's locks): its lines
    through `refund_for_returned_goods`, delivery for the shop's fault (a defect, a wrong or damaged item). One
    refund per request."""
    if request.refund_id is not None:
        return request.refund
    return refund_for_returned_goods(
        order=request.order,
        reason=Refund.Reason.RETURN,
        quantities={row.order_line_id: row.quantity for row in request.lines.all()},
        shop_fault=request.reason in SHOP_FAULT_REASONS,
        loyalty_key=loyalty_key(request),
        deduction=request.deduction_amount,
        deduction_reason=request.deduction_reason,
        actor=actor,
        now=now,
    )


def reactivate_coupon_if_due(*, request, actor=None) -> bool:
    """CPN-3: the whole purchase came back because of a defect within 14 days of delivery → the coupon's use is
    given back (orders counts it neither in the coupon's total nor against the customer's per-customer limit), so
    the customer may use it again. Once per order (the order's release and the event log record it)."""
    order = request.order
    if ReturnEvent.objects.filter(request__order=order, action=COUPON_REACTIVATED).exists():
        return False
    held = dict(
        ReturnLine.objects.filter(request__order=order, request__state__in=(ReturnState.ACCEPTED, ReturnState.REFUNDED))
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
        .values_list("order_line_id", "units")
    )
    whole = all(held.get(line.pk, 0) >= line.quantity for line in order.lines.all())
    if not deadlines.coupon_reactivates_for(
        order,
        whole_purchase_returned=whole,
        reason_is_defect=request.reason == ReturnReason.DEFECT,
        requested_at=request.created_at,
    ):
        return False
    if not coupon_services.release_coupon_use(order=order):
        return False
    transitions.record_event(
        request, action=COUPON_REACTIVATED, from_state=request.state, actor=actor, note=order.coupon_code
    )
    return True


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


def _sent_or_in_flight(refund: Refund) -> Decimal:
    return (
        PaymentRefund.objects.filter(
            reference=refund_reference(refund),
            status__in=[PaymentRefund.Status.SUCCEEDED, PaymentRefund.Status.PENDING],
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )


def refund_left(refund: Refund) -> Decimal:
    """What of the refund has not been sent yet (the most a confirmation page may send)."""
    if refund.status == Refund.Status.DONE:
        return ZERO
    return max(refund.amount - _sent_or_in_flight(refund), ZERO)


def sends_through_provider(refund: Refund) -> bool:
    """REF-4: card and e-wallet money goes back through the provider; cash goes back by bank transfer (Finance)."""
    return deadlines.refund_channel_for(refund.payment_method) != policy.CASH


def send_refund(*, refund: Refund, actor=None, amount: Decimal | None = None) -> list[PaymentRefund]:
    """PAY-7: send a refund (all that is left, or a part of it: never more) back through the payments that paid
    the order (REF-4: the way it was paid). Never sent twice: what is left is worked out and the provider calls are
    claimed (pending) under the refund's row lock, so of two staff pressing at once the second sees the first's
    claims in flight and is refused (PaymentError); the provider is called after the lock is released. Each claim's
    idempotency key is numbered by the attempts made before, so a retry after a refused call gets a new one. A
    refused or unreachable provider leaves the refund "due" with the error in `last_error` (the sweep retries);
    money sent mails the customer."""
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        left = refund_left(locked)
        if left <= 0:
            raise payment_services.PaymentError(_("This refund has already been sent."))
        if amount is not None:
            if amount <= 0:
                raise payment_services.PaymentError(_("The refund amount must be positive."))
            if amount > left:
                raise payment_services.PaymentError(
                    _("At most %(left)s %(currency)s of this refund is left to send.")
                    % {"left": left, "currency": locked.currency}
                )
            left = amount
        to_send = left
        reference = refund_reference(locked)
        claims = []
        payments = Payment.objects.filter(order_id=locked.order_id, status=PaymentStatus.SUCCEEDED).order_by("id")
        for payment in payments:
            if left <= 0:
                break
            part = min(left, payment.refundable)
            if part <= 0:
                continue
            attempt = PaymentRefund.objects.filter(reference=reference, payment=payment).count()
            claims.append(
                payment_services.claim_refund(
                    payment=payment,
                    amount=part,
                    reason=PaymentRefund.Reason.REFUND_DUE,
                    actor=actor,
                    reference=reference,
                    key=f"due:{locked.pk}:{payment.pk}:{attempt}",
                )
            )
            left -= part
        if not claims:
            raise payment_services.PaymentError(
                _("No online payment of this order can carry the refund; pay it back another way.")
            )
    sent = [payment_services.send_claimed_refund(claimed) for claimed in claims]
    _record_attempt(refund_id=refund.pk, results=sent, asked=to_send)
    settle_refund(refund_id=refund.pk)
    return sent


@transaction.atomic
def _record_attempt(*, refund_id: int, results: list[PaymentRefund], asked: Decimal) -> None:
    due = Refund.objects.select_for_update().get(pk=refund_id)
    failed = [r for r in results if r.status == PaymentRefund.Status.FAILED]
    pending = [r for r in results if r.status == PaymentRefund.Status.PENDING]
    went = sum((r.amount for r in results if r.status == PaymentRefund.Status.SUCCEEDED), ZERO)
    fields = ["last_error"]
    if failed:
        due.last_error = "; ".join(r.message or str(r.get_status_display()) for r in failed)[:1000]
    elif pending:
        due.last_error = str(_("The provider did not answer; the refund waits for its confirmation."))
    else:
        due.last_error = ""
    if went > 0 and due.status == Refund.Status.DUE:
        # money went out: "sent" until the provider has confirmed all of it (settle_refund then makes it "done")
        due.sent_at = timezone.now()
        due.status = Refund.Status.SENT
        fields += ["sent_at", "status"]
    due.save(update_fields=fields)
    if went > 0:
        notify_money_sent(due, went)


def notify_money_sent(refund: Refund, amount: Decimal) -> None:
    """The customer is mailed when money is sent: the amount, the method and when to expect it (REF-5)."""
    request = ReturnRequest.objects.filter(refund=refund).first()
    notifications.notify_refund_sent(refund, amount, request=request)
    if request is not None:
        mark_refunded(request_id=request.pk)


@transaction.atomic
def mark_cash_refund_done(*, refund: Refund, bank_reference: str, actor=None) -> Refund:
    """REF-4: a cash or cash-on-delivery refund goes back by bank transfer; Finance marks it done with the
    transfer's reference. Idempotent; refused for a refund that goes through the provider."""
    reference = (bank_reference or "").strip()[:100]
    if not reference:
        raise payment_services.PaymentError(_("Give the bank transfer's reference."))
    due = Refund.objects.select_for_update().get(pk=refund.pk)
    if sends_through_provider(due):
        raise payment_services.PaymentError(_("This refund goes back through the payment provider."))
    if due.status == Refund.Status.DONE:
        return due
    due.status = Refund.Status.DONE
    due.refunded_at = due.sent_at = timezone.now()
    due.provider_reference = reference
    due.last_error = ""
    due.save(update_fields=["status", "refunded_at", "sent_at", "provider_reference", "last_error"])
    order_events.refund_due(order=due.order, actor=actor, message=f"{due.number}: paid by transfer {reference}")
    notify_money_sent(due, due.amount)
    return due


def mark_refunded(*, request_id: int, actor=None) -> ReturnRequest:
    """The refund of an accepted request went out: the request is refunded (idempotent)."""
    with transaction.atomic():
        locked = transitions.locked_request(request_id)
        if locked.state != ReturnState.ACCEPTED:
            return locked
        return transitions.apply_action(locked, policy.REFUND, actor=actor)


@transaction.atomic
def settle_refund(*, refund_id: int) -> Refund | None:
    """Mark a refund "done" once the provider has confirmed all of it. Idempotent."""
    due = Refund.objects.select_for_update().filter(pk=refund_id).first()
    if due is None or due.status == Refund.Status.DONE:
        return due
    done = PaymentRefund.objects.filter(reference=refund_reference(due), status=PaymentRefund.Status.SUCCEEDED)
    total = done.aggregate(s=Sum("amount"))["s"] or 0
    if total >= due.amount:
        never_mailed = due.sent_at is None  # confirmed later by the provider: the customer hears of it now
        due.status = Refund.Status.DONE
        due.refunded_at = timezone.now()
        due.sent_at = due.sent_at or due.refunded_at
        due.last_error = ""
        due.provider_reference = done.order_by("-completed_at", "-id").values_list("provider_refund_id", flat=True)[0]
        due.save(update_fields=["status", "refunded_at", "sent_at", "last_error", "provider_reference"])
        if never_mailed:
            notify_money_sent(due, due.amount)
    return due


# --- Sweeps (REF-5) -----------------------------------------------------------------------------------------------


def retry_failed_refunds(*, batch: int = 200) -> int:
    """REF-5: refunds whose provider call was refused are sent again (a new attempt, a new idempotency key);
    one whose money is in flight or sent is left alone. Batched by primary key; safe to run twice."""
    retried, after = 0, 0
    while True:
        rows = list(
            Refund.objects.filter(status=Refund.Status.DUE, pk__gt=after).exclude(last_error="").order_by("pk")[:batch]
        )
        if not rows:
            return retried
        for due in rows:
            after = due.pk
            if not sends_through_provider(due) or refund_left(due) <= 0:
                continue
            try:
                send_refund(refund=due)
            except payment_services.PaymentError as error:
                Refund.objects.filter(pk=due.pk).update(last_error=error.message[:1000])
                continue
            retried += 1
