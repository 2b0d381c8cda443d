"""Payment use cases (PAY-3..7): start an attempt, apply what a provider says exactly once, refund, expire.

Locks are always taken order first, then payment (`payments.locks`), the same order as the order's own services,
so a notification racing a cancellation or the expiry sweep waits instead of deadlocking. Calls to a provider
(network) are made outside any transaction: a refund is recorded as pending first, so a second request for the
same money is refused while the first is in flight (PAY-4)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from base.request_text import clean_text
from orders import events as order_events
from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderStatus
from orders.payment_methods import DECLINED, PAID, Action, StatusResult, all_adapters, get_adapter

from . import alerts, events, locks, policy, signals
from .models import OPEN_STATUSES, Payment, PaymentEvent, PaymentRefund, PaymentStatus

logger = logging.getLogger(__name__)

PAYABLE_STATUSES = (OrderStatus.PLACED, OrderStatus.CONFIRMED)


class PaymentError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# What applying a provider's word did; adapters turn these into the provider's reply codes.
APPLIED = "applied"  # the payment changed state now
DUPLICATE = "duplicate"  # already applied: nothing changed (a replay)
WRONG_AMOUNT = "wrong_amount"  # amount or currency differ from the attempt: refused, nothing changed
UNKNOWN_PAYMENT = "unknown"  # no such invoice
NOT_ACCEPTABLE = "not_acceptable"  # the order cannot take money (cancelled, already paid)
EXPIRED = "expired"  # the order's time to pay has run out


@dataclass(frozen=True)
class Outcome:
    code: str
    payment: Payment | None = None
    message: str = ""


# --- Reading ------------------------------------------------------------------------------------------------------


def find_payment(invoice_id: str) -> Payment | None:
    invoice_id = (clean_text(invoice_id, max_length=20) or "").strip()  # a provider's body may carry NUL
    if not invoice_id:
        return None
    return Payment.objects.select_related("order").filter(invoice_id=invoice_id).first()


def payment_deadline(order: Order):
    """PAY-4: when an unpaid online order stops taking money — `SHOP_PAYMENT_TIMEOUT_MINUTES` after placing, or the
    order's own `pay_by` (an exchange's price difference, paid later through a mailed link)."""
    if order.pay_by is not None:
        return order.pay_by
    return order.placed_at + timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES)


def order_payable(order: Order, *, now=None) -> str:
    """ "" when the order can take this money now, else the Outcome code that says why not."""
    now = now or timezone.now()
    if order.status not in PAYABLE_STATUSES or order.paid_amount > 0:
        return NOT_ACCEPTABLE
    if now >= payment_deadline(order):
        return EXPIRED
    return ""


def check(payment: Payment, *, amount: Decimal, currency: str) -> str:
    """A provider's "may this be paid?" (CloudPayments Check): "" if yes, else the Outcome code."""
    if amount != payment.amount or currency != payment.currency:
        return WRONG_AMOUNT
    return order_payable(payment.order)


# --- Starting -----------------------------------------------------------------------------------------------------


@transaction.atomic
def current_attempt(*, order: Order, phone: str = "", new: bool = False) -> Payment:
    """The open attempt to pay the order, created on first need. `new` starts a fresh one (a retry after a
    decline, or another phone for Kaspi): the provider sees a new invoice id, the old attempt is left to expire."""
    adapter = get_adapter(order.payment_method)
    if adapter is None or not adapter.online:
        raise PaymentError(_("This order is paid on delivery: there is nothing to pay online."))
    locked = locks.order_for_update(order.pk)
    reason = order_payable(locked)
    if reason == EXPIRED:
        raise PaymentError(_("The time to pay this order has run out. Please place the order again."))
    if reason:
        raise PaymentError(_("This order cannot be paid now: it is “%(status)s”.") % {"status": _status_label(locked)})
    attempts = list(Payment.objects.filter(order=locked).order_by("-id"))
    if not new:
        for attempt in attempts:
            if attempt.adapter == adapter.code and attempt.status == PaymentStatus.NEW and attempt.phone == phone:
                return attempt
    payment = Payment.objects.create(
        order=locked,
        adapter=adapter.code,
        invoice_id=f"{locked.number}{len(attempts) + 1:02d}",
        amount=locked.total,
        currency=locked.currency,
        phone=phone,
    )
    events.record(payment=payment, kind=PaymentEvent.Kind.STARTED, verified=True, outcome="created")
    return payment


def start(*, payment: Payment, request=None) -> Action:
    """The adapter's next step for the customer; a provider that cannot be reached is a message, not a 500."""
    adapter = get_adapter(payment.adapter)
    return adapter.start(payment, request)


def mark_pending(payment: Payment, **fields) -> None:
    """An adapter handed the attempt to its provider (invoice sent, hosted page opened), with the provider's ids."""
    updates = {"status": PaymentStatus.PENDING, **fields}
    Payment.objects.filter(pk=payment.pk, status__in=OPEN_STATUSES).update(updated_at=timezone.now(), **updates)
    for name, value in updates.items():
        setattr(payment, name, value)


# --- Applying the provider's word ---------------------------------------------------------------------------------


def record_success(
    *, payment: Payment, amount: Decimal, currency: str, transaction_id: str, source: str = "", card: str = ""
) -> Outcome:
    """PAY-3/PAY-4: the provider says this attempt is paid. Applied once: a replay, or twenty at once, change
    nothing more. Money that arrives for an order that cannot take it (cancelled, expired, paid already) is
    refunded automatically and support is alerted. `card` is the provider's card mask or last four digits (only
    those four are kept, for the refund's wording)."""
    outcome, refund_id = _record_success(
        payment=payment,
        amount=amount,
        currency=currency,
        transaction_id=transaction_id,
        source=source,
        card_last4=policy.card_last4(card),
    )
    if refund_id:
        refund = PaymentRefund.objects.get(pk=refund_id)
        _send_refund(refund)
    return outcome


@transaction.atomic
def _record_success(*, payment, amount, currency, transaction_id, source, card_last4=""):
    order = locks.order_for_update(payment.order_id)
    locked = locks.payment_for_update(payment.pk)
    transaction_id = str(transaction_id or "")[:64]
    if amount != locked.amount or currency != locked.currency:
        return Outcome(WRONG_AMOUNT, locked, f"{amount} {currency} ≠ {locked.amount} {locked.currency}"), None
    if locked.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        return Outcome(DUPLICATE, locked), None
    if (
        transaction_id
        and Payment.objects.filter(adapter=locked.adapter, provider_transaction_id=transaction_id).exists()
    ):
        return Outcome(DUPLICATE, locked), None
    now = timezone.now()
    locked.status = PaymentStatus.SUCCEEDED
    locked.provider_transaction_id = transaction_id
    locked.paid_at = now
    locked.card_last4 = card_last4
    locked.decline_code = locked.decline_message = ""
    locked.next_check_at = None
    try:
        with transaction.atomic():
            locked.save(
                update_fields=[
                    "status",
                    "provider_transaction_id",
                    "paid_at",
                    "card_last4",
                    "decline_code",
                    "decline_message",
                    "next_check_at",
                    "updated_at",
                ]
            )
    except IntegrityError:  # the same provider transaction recorded by a concurrent request
        return Outcome(DUPLICATE, locked), None
    payment.__dict__.update(locked.__dict__)
    reason = order_payable(order, now=now)
    if reason == EXPIRED and order.status in PAYABLE_STATUSES and order.paid_amount == 0:
        reason = ""  # money came in time for an order the sweep has not cancelled yet: take it
    if reason:
        why = (
            PaymentRefund.Reason.DUPLICATE
            if order.paid_amount > 0 and order.status not in (OrderStatus.CANCELLED, OrderStatus.REFUSED)
            else PaymentRefund.Reason.CANCELLED_ORDER
        )
        refund = _claim_refund(locked, amount=locked.amount, reason=why, key=f"auto:{locked.pk}")
        alerts.alert_support(
            payment=locked,
            message=_("Payment %(invoice)s arrived for order %(order)s, which is “%(status)s”: refunded automatically.")
            % {"invoice": locked.invoice_id, "order": order.number, "status": _status_label(order)},
        )
        return Outcome(APPLIED, locked, "auto-refund"), refund.pk if refund else None
    fulfilment.record_online_payment(order=order, amount=locked.amount, reference=f"{locked.invoice_id} {source}")
    signals.send_after_commit(signals.payment_captured, payment=locked)
    return Outcome(APPLIED, locked), None


@transaction.atomic
def record_decline(*, payment: Payment, reason_code: str = "", message: str = "") -> Outcome:
    """The provider declined this attempt (PAY-5). The customer may try again: a new attempt, same order."""
    locks.order_for_update(payment.order_id)
    locked = locks.payment_for_update(payment.pk)
    if locked.status not in OPEN_STATUSES:
        return Outcome(DUPLICATE, locked)
    locked.status = PaymentStatus.FAILED
    locked.decline_code = str(reason_code or "")[:20]
    locked.decline_message = (message or "")[:300]
    locked.next_check_at = None
    locked.save(update_fields=["status", "decline_code", "decline_message", "next_check_at", "updated_at"])
    payment.__dict__.update(locked.__dict__)
    return Outcome(APPLIED, locked)


def apply_status(payment: Payment, status: StatusResult, *, source: str = "status") -> Outcome:
    """A status read from the provider (poll or double-check), applied like a notification."""
    if status.state == PAID:
        return record_success(
            payment=payment,
            amount=status.amount if status.amount is not None else payment.amount,
            currency=status.currency or payment.currency,
            transaction_id=status.transaction_id,
            source=source,
        )
    if status.state == DECLINED:
        return record_decline(payment=payment, reason_code=status.reason_code, message=status.reason)
    return Outcome(DUPLICATE, payment)


# --- Refunds (PAY-7) ----------------------------------------------------------------------------------------------


def refund(
    *, payment: Payment, amount: Decimal, reason: str, actor=None, reference: str = "", key: str = ""
) -> PaymentRefund:
    """Send `amount` of this payment back through its provider. Refused (PaymentError) beyond what remains.
    `reference` names what the refund is for in the caller's words; `refund_completed` carries it back."""
    claimed = claim_refund(payment=payment, amount=amount, reason=reason, actor=actor, reference=reference, key=key)
    return send_claimed_refund(claimed)


def claim_refund(
    *, payment: Payment, amount: Decimal, reason: str, actor=None, reference: str = "", key: str = ""
) -> PaymentRefund:
    """The first half of `refund`: record the refund as pending under the order's and the payment's locks, without
    calling the provider, so a caller holding its own lock can claim and then send outside its transaction.
    Refused (PaymentError) beyond what remains or when `key` was claimed before."""
    amount = Decimal(amount)
    with transaction.atomic():
        locks.order_for_update(payment.order_id)
        locked = locks.payment_for_update(payment.pk)
        claimed = _claim_refund(
            locked,
            amount=amount,
            reason=reason,
            key=key or f"manual:{locked.pk}:{timezone.now().timestamp()}",
            actor=actor,
            reference=reference,
        )
        if claimed is None:
            raise PaymentError(_("This refund was already sent."))
    return claimed


def send_claimed_refund(claimed: PaymentRefund) -> PaymentRefund:
    """The second half of `refund`: call the provider for a claimed (pending) refund, outside any transaction."""
    return _send_refund(claimed)


def _claim_refund(payment, *, amount, reason, key, actor=None, reference: str = "") -> PaymentRefund | None:
    """Record a pending refund under the payment's lock; None if this key was claimed before (idempotent)."""
    if amount <= 0:
        raise PaymentError(_("The refund amount must be positive."))
    if payment.status != PaymentStatus.SUCCEEDED:
        raise PaymentError(_("Only a paid payment can be refunded."))
    in_flight = payment.refunds.filter(status=PaymentRefund.Status.PENDING).aggregate(s=Sum("amount"))["s"] or 0
    if amount > payment.amount - payment.refunded_amount - in_flight:
        raise PaymentError(
            _("At most %(left)s %(currency)s of this payment can still be refunded.")
            % {"left": payment.amount - payment.refunded_amount - in_flight, "currency": payment.currency}
        )
    if PaymentRefund.objects.filter(idempotency_key=key).exists():
        return None
    try:
        with transaction.atomic():
            return PaymentRefund.objects.create(
                payment=payment, amount=amount, reason=reason, idempotency_key=key, actor=actor, reference=reference
            )
    except IntegrityError:
        return None


def _send_refund(claimed: PaymentRefund) -> PaymentRefund:
    payment = claimed.payment
    adapter = get_adapter(payment.adapter)
    try:
        result = adapter.refund(payment, claimed.amount, claimed)
    except Exception as error:  # the provider could not be reached: stays pending, support retries
        logger.exception("refund %s of payment %s failed", claimed.pk, payment.invoice_id)
        events.record(payment=payment, kind=PaymentEvent.Kind.REFUND, outcome=f"error: {type(error).__name__}")
        return claimed
    return complete_refund(claimed, ok=result.ok, provider_refund_id=result.provider_refund_id, message=result.message)


@transaction.atomic
def complete_refund(claimed: PaymentRefund, *, ok: bool, provider_refund_id: str = "", message: str = ""):
    """The provider's answer to a refund (or its Refund notification): counted once."""
    locked_refund = PaymentRefund.objects.select_for_update().get(pk=claimed.pk)
    if locked_refund.status != PaymentRefund.Status.PENDING:
        return locked_refund
    payment = locks.payment_for_update(locked_refund.payment_id)
    locked_refund.status = PaymentRefund.Status.SUCCEEDED if ok else PaymentRefund.Status.FAILED
    locked_refund.provider_refund_id = (provider_refund_id or "")[:64]
    locked_refund.message = (message or "")[:300]
    locked_refund.completed_at = timezone.now()
    locked_refund.save(update_fields=["status", "provider_refund_id", "message", "completed_at"])
    if ok:
        payment.refunded_amount += locked_refund.amount
        if payment.refunded_amount >= payment.amount:
            payment.status = PaymentStatus.REFUNDED
        payment.save(update_fields=["refunded_amount", "status", "updated_at"])
        signals.send_after_commit(signals.refund_completed, payment=payment, refund=locked_refund)
    events.record(
        payment=payment,
        kind=PaymentEvent.Kind.REFUND,
        verified=True,
        outcome=f"{'refunded' if ok else 'refused'} {locked_refund.amount} {payment.currency} {message}".strip()[:200],
    )
    claimed.__dict__.update(locked_refund.__dict__)
    return locked_refund


def record_provider_refund(*, payment: Payment, amount: Decimal, provider_refund_id: str) -> PaymentRefund | None:
    """A refund the provider reports (its Refund notification). Ours — sent through `refund` — is completed once;
    one made in the provider's cabinet is recorded once, by its provider id, and support is alerted."""
    provider_refund_id = str(provider_refund_id or "")[:64]
    ours = PaymentRefund.objects.filter(payment=payment, provider_refund_id=provider_refund_id).first()
    if ours is None:
        ours = (
            PaymentRefund.objects.filter(payment=payment, status=PaymentRefund.Status.PENDING, amount=amount)
            .order_by("id")
            .first()
        )
    if ours is not None:
        return complete_refund(ours, ok=True, provider_refund_id=provider_refund_id or ours.provider_refund_id)
    with transaction.atomic():
        locks.order_for_update(payment.order_id)
        locked = locks.payment_for_update(payment.pk)
        try:
            claimed = _claim_refund(
                locked,
                amount=Decimal(amount),
                reason=PaymentRefund.Reason.PROVIDER,
                key=f"provider:{payment.adapter}:{provider_refund_id}",
            )
        except PaymentError:
            return None  # more than was paid, or not paid: nothing to record (logged by the caller's event)
        if claimed is None:
            return PaymentRefund.objects.get(idempotency_key=f"provider:{payment.adapter}:{provider_refund_id}")
        alerts.alert_support(
            payment=locked,
            message=_("A refund of %(amount)s %(currency)s for payment %(invoice)s was made at the provider.")
            % {"amount": amount, "currency": locked.currency, "invoice": locked.invoice_id},
        )
    return complete_refund(claimed, ok=True, provider_refund_id=provider_refund_id)


# --- Sweeps -------------------------------------------------------------------------------------------------------


# After an order expired, its invoice may still be paid in the provider's app: polling adapters keep asking
# about cancelled attempts this long, so the late money is found and refunded (`record_success`).
LATE_PAYMENT_WATCH = timedelta(hours=24)


def poll_open_payments(*, now=None, limit: int = 200) -> int:
    """Ask polling providers (Kaspi) about attempts that are due, with back-off (`policy`). Idempotent."""
    now = now or timezone.now()
    polling = [code for code, adapter in all_adapters().items() if adapter.polls]
    if not polling:
        return 0
    late = Q(status=PaymentStatus.CANCELLED, updated_at__gte=now - LATE_PAYMENT_WATCH) & ~Q(provider_payment_id="")
    watched = Q(status=PaymentStatus.PENDING) | late
    due = list(
        Payment.objects.filter(watched, adapter__in=polling, next_check_at__lte=now)
        .select_related("order")
        .order_by("next_check_at")[:limit]
    )
    for payment in due:
        check_now(payment, now=now)
    return len(due)


def check_now(payment: Payment, *, now=None) -> Outcome:
    """Ask the provider now (the poller, or the customer's "I have paid" button), then schedule the next ask."""
    now = now or timezone.now()
    adapter = get_adapter(payment.adapter)
    try:
        status = adapter.fetch_status(payment)
    except Exception as error:
        logger.warning("status check of %s failed: %s", payment.invoice_id, type(error).__name__)
        status = StatusResult(state="unknown", reason=type(error).__name__)
    outcome = apply_status(payment, status, source="poll")
    still_watched = Payment.objects.filter(pk=payment.pk, status__in=[PaymentStatus.PENDING, PaymentStatus.CANCELLED])
    still_watched.exclude(next_check_at=None).update(
        checks_made=payment.checks_made + 1,
        next_check_at=now + policy.next_check_delay(payment.checks_made + 1),
    )
    return outcome


def expire_unpaid_orders(*, now=None, limit: int = 500) -> int:
    """Unpaid online orders past `SHOP_PAYMENT_TIMEOUT_MINUTES` are cancelled and their stock released (PAY-4).
    A polling provider is asked once more first, so an invoice paid at the last minute is not lost; money that
    still comes later is refunded automatically (`record_success`)."""
    now = now or timezone.now()
    online = [code for code, adapter in all_adapters().items() if adapter.online]
    polling = [code for code, adapter in all_adapters().items() if adapter.polls]
    cutoff = now - timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES)
    candidates = list(
        Order.objects.filter(
            Q(pay_by__isnull=True, placed_at__lte=cutoff) | Q(pay_by__lte=now),
            payment_method__in=online,
            status__in=PAYABLE_STATUSES,
            paid_amount=0,
        ).values_list("pk", flat=True)[:limit]
    )
    expired = 0
    for pk in candidates:
        for payment in Payment.objects.filter(order_id=pk, status=PaymentStatus.PENDING, adapter__in=polling):
            check_now(payment, now=now)
        if _expire(pk, now=now):
            expired += 1
    return expired


@transaction.atomic
def _expire(pk: int, *, now) -> bool:
    order = locks.order_for_update(pk)
    if order.status not in PAYABLE_STATUSES or order.paid_amount > 0:
        return False
    open_payments = list(locks.payments_of_order_for_update(order.pk).filter(status__in=OPEN_STATUSES))
    fulfilment.cancel_order(
        order=order,
        actor=None,
        reason=(
            _("The price difference was not paid in time.")
            if order.pay_by is not None
            else _("Not paid within %(minutes)s minutes.") % {"minutes": settings.SHOP_PAYMENT_TIMEOUT_MINUTES}
        ),
    )
    for payment in open_payments:
        payment.status = PaymentStatus.CANCELLED
        adapter = get_adapter(payment.adapter)
        if not (adapter and adapter.polls and payment.provider_payment_id):
            payment.next_check_at = None  # nothing can be paid on it any more; a polled invoice still can
        payment.save(update_fields=["status", "next_check_at", "updated_at"])
        events.record(payment=payment, kind=PaymentEvent.Kind.EXPIRED, verified=True, outcome="order expired unpaid")
    return True


@transaction.atomic
def switch_method(*, order: Order, code: str, actor=None) -> Order:
    """The customer chose another way to pay an unpaid order (after a decline): only among those offered for it."""
    locked = locks.order_for_update(order.pk)
    if order_payable(locked):
        raise PaymentError(_("This order cannot be paid now: it is “%(status)s”.") % {"status": _status_label(locked)})
    adapter = get_adapter(code)
    if adapter is None or not adapter.is_available(amount=locked.total, delivery_method=locked.delivery_method):
        raise PaymentError(_("This payment method is not available for this order."))
    if code == locked.payment_method:
        return locked
    previous = locked.payment_method
    locked.payment_method = code
    locked.save(update_fields=["payment_method"])
    order_events.payment_method_changed(order=locked, actor=actor, message=f"{previous} → {code}")
    order.__dict__.update(locked.__dict__)
    return locked


def _status_label(order: Order) -> str:
    return str(OrderStatus(order.status).label) if order.status in OrderStatus.values else order.status
