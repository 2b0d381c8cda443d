"""Warranty claim use cases (WAR-2..7, SUP-2): filing a claim into the register (numbered without gaps under a
locked counter), sending it for examination, resolving it by a remedy (the refund remedy owes a Refund, REF-2),
rejecting it, and the sweep flagging claims past the one-month clock. Every change writes an event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from base.mail import queue_email
from orders import locks as order_locks

from .. import services as refund_services
from ..models import Refund
from . import deadlines, events, mail, policy
from .models import WarrantyAttachment, WarrantyClaim, WarrantyClaimCounter


class ClaimRefused(Exception):
    """WAR-2: the claim is outside its windows; `window` carries the reason and the dates shown to the customer."""

    def __init__(self, window: policy.ClaimWindow):
        super().__init__(window.refusal)
        self.window = window


class ClaimStateError(Exception):
    """A staff action that the claim's state does not allow (e.g. resolving a rejected claim)."""


@dataclass(frozen=True)
class ClaimData:
    """What the customer fills in (WAR-3): plain values, already validated by the form."""

    description: str
    defect_found_on: date
    preferred_remedy: str
    contact_name: str
    contact_email: str
    contact_phone: str = ""
    contact_address: str = ""
    serial_number: str = ""
    amount_claimed: Decimal | None = None
    manufactured_on: date | None = None
    language: str = "ru"


def next_number(year: int) -> tuple[int, str]:
    """The next number of `year` in the register, W-2026-0001: the year's counter row is created if missing (a
    conflict-ignoring insert, so two first claims of a year do not collide) and locked until the caller's
    transaction ends — claims queue on it, and a rolled-back claim gives its number back."""
    WarrantyClaimCounter.objects.bulk_create([WarrantyClaimCounter(year=year)], ignore_conflicts=True)
    counter = WarrantyClaimCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, f"W-{year}-{counter.last_number:04d}"


def check_window(*, order_line, data: ClaimData, claimed_on: date) -> tuple[deadlines.ItemWarranty, bool]:
    """WAR-2: raises ClaimRefused outside the windows; returns the item's warranty and the WAR-5 presumption."""
    warranty = deadlines.item_warranty(order_line, manufactured_on=data.manufactured_on)
    window = deadlines.claim_window_for(warranty, claimed_on=claimed_on, defect_found_on=data.defect_found_on)
    if not window.accepted:
        raise ClaimRefused(window)
    return warranty, deadlines.defect_presumed_for(warranty, data.defect_found_on)


def file_claim(*, order, order_line, data: ClaimData, files=(), user=None) -> WarrantyClaim:
    """WAR-3: enter a claim into the register and mail the customer its number and the product at once.
    `files` are validated uploads (the form checks type, size and count); nothing is saved when anything fails."""
    if order_line.order_id != order.pk:
        raise ValueError("the line is not on this order")
    now = timezone.now()
    claimed_on = deadlines.local_day(now)
    warranty, presumed = check_window(order_line=order_line, data=data, claimed_on=claimed_on)
    with transaction.atomic():
        sequence, number = next_number(claimed_on.year)
        claim = WarrantyClaim(
            number=number,
            year=claimed_on.year,
            sequence=sequence,
            order=order,
            order_line=order_line,
            user=order.user if order.user_id else user,
            serial_number=data.serial_number,
            description=data.description,
            defect_found_on=data.defect_found_on,
            manufactured_on=data.manufactured_on,
            preferred_remedy=data.preferred_remedy,
            amount_claimed=data.amount_claimed,
            contact_name=data.contact_name,
            contact_email=data.contact_email,
            contact_phone=data.contact_phone,
            contact_address=data.contact_address,
            language=data.language,
            due_by=deadlines.resolution_deadline_for(claimed_on),
            warranty_starts_on=warranty.start.day if warranty.start else None,
            warranty_start_basis=warranty.start.basis.value if warranty.start else "",
            warranty_last_day=warranty.last_day,
            defect_presumed=presumed,
        )
        claim.full_clean(exclude=["access_token"])
        claim.save()
        for upload in files:
            attachment = WarrantyAttachment(
                claim=claim,
                original_name=upload.name[:200],
                content_type=getattr(upload, "content_type", "") or "",
                size=upload.size,
            )
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
        events.received(claim=claim, actor=user, message=order_line.product_name[:200])
        queue_email(
            template="mail/warranty/claim_received",
            to=claim.contact_email,
            context=mail_context(claim),
            language=claim.language,
        )
    return claim


def mail_context(claim: WarrantyClaim) -> dict:
    """What the claim mails show (JSON-serialisable: it travels through the broker)."""
    return {
        "number": claim.number,
        "product": claim.order_line.product_name,
        "sku": claim.order_line.sku,
        "order_number": claim.order.number,
        "name": claim.contact_name,
        "due_by": claim.due_by.strftime("%d.%m.%Y"),
        "link": mail.claim_link(claim),
        "shop_name": settings.SHOP_NAME,
        "shop_url": settings.SHOP_BASE_URL,
    }


def repairs_count(claim: WarrantyClaim) -> int:
    """WAR-6: how many times this item (the same order line) was repaired under claims resolved within its
    warranty — this claim not counted."""
    repairs = WarrantyClaim.objects.filter(
        order_line_id=claim.order_line_id,
        status=WarrantyClaim.Status.RESOLVED,
        remedy=WarrantyClaim.RemedyChoice.REPAIR,
    ).exclude(pk=claim.pk)
    if claim.warranty_last_day is not None:
        repairs = repairs.filter(created_at__date__lte=claim.warranty_last_day)
    return repairs.count()


def refund_right(claim: WarrantyClaim) -> bool:
    """WAR-6: the customer may have a refund — three repairs of this item before, or the month went by."""
    overdue = policy.may_cancel_for_delay(deadline=claim.due_by, today=deadlines.today(), resolved=not claim.is_open)
    return overdue or deadlines.refund_right_after_repairs_for(repairs_count(claim))


def _locked(claim: WarrantyClaim) -> WarrantyClaim:
    return WarrantyClaim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def send_for_examination(
    *, claim: WarrantyClaim, actor, service_centre: str, reference: str = "", sent_on: date | None = None
) -> WarrantyClaim:
    """WAR-4/SUP-2: the item goes to a certified service centre (its reference kept for the customer's questions)."""
    claim = _locked(claim)
    if not claim.is_open:
        raise ClaimStateError("a closed claim cannot be sent for examination")
    claim.status = WarrantyClaim.Status.EXAMINATION
    claim.service_centre = service_centre
    claim.service_reference = reference
    claim.sent_to_service_on = sent_on or deadlines.today()
    claim.save(update_fields=["status", "service_centre", "service_reference", "sent_to_service_on"])
    events.examination(claim=claim, actor=actor, message=f"{service_centre} {reference}".strip()[:500])
    return claim


@transaction.atomic
def resolve(
    *,
    claim: WarrantyClaim,
    actor,
    remedy: str,
    note: str = "",
    amount: Decimal | None = None,
    back_on: date | None = None,
    service_reference: str = "",
    exchange_line=None,
    refund=None,
) -> WarrantyClaim:
    """WAR-4/WAR-7: record the remedy with its data and resolve the claim; the customer gets a mail with the act
    of satisfaction attached. A refund owes a Refund (REF-2: delivery included, the goods were defective);
    a price reduction needs its amount. An exchange is made by `returns.exchange.exchange_for_claim`, which calls
    this with the exchange order's new line (and the refund of a cheaper replacement's difference)."""
    claim = _locked(claim)
    if not claim.is_open:
        raise ClaimStateError("this claim is already closed")
    remedy = policy.Remedy(remedy)
    if remedy is policy.Remedy.PRICE_REDUCTION and (amount is None or amount <= 0):
        raise ValueError("a price reduction needs its amount")
    if remedy is policy.Remedy.REPAIR:
        claim.back_from_service_on = back_on or deadlines.today()
        if service_reference:
            claim.service_reference = service_reference
    if remedy in (policy.Remedy.EXCHANGE_SAME, policy.Remedy.EXCHANGE_SIMILAR):
        claim.exchange_line = exchange_line
        if refund is not None:
            claim.refund = refund
    if remedy is policy.Remedy.REFUND:
        claim.refund = record_warranty_refund(claim=claim, actor=actor)
    claim.remedy = remedy.value
    claim.remedy_amount = amount
    claim.resolution_note = note
    claim.status = WarrantyClaim.Status.RESOLVED
    claim.resolved_at = timezone.now()
    claim.save()
    events.resolved(claim=claim, actor=actor, message=f"{claim.get_remedy_display()} {note}".strip()[:500])
    claim_id = claim.pk
    transaction.on_commit(lambda: mail.send_resolution_mail.delay(claim_id=claim_id))
    return claim


def cancel_after_deadline(*, claim: WarrantyClaim, actor=None) -> WarrantyClaim:
    """WAR-6: the month went by unresolved — the customer cancels the purchase of the item and is refunded (seed
    002, art. 34(2)). Resolves the claim by the refund remedy (a Refund with the delivery, REF-2); refused
    (ClaimStateError) before the deadline has passed or once the claim is closed."""
    if not policy.may_cancel_for_delay(deadline=claim.due_by, today=deadlines.today(), resolved=not claim.is_open):
        raise ClaimStateError("the claim may be cancelled only when its deadline has passed unresolved")
    return resolve(
        claim=claim,
        actor=actor,
        remedy=policy.Remedy.REFUND.value,
        note=str(_("Purchase cancelled by the customer: the claim was not resolved within one month.")),
    )


@transaction.atomic
def reject(*, claim: WarrantyClaim, actor, reason: str) -> WarrantyClaim:
    """SUP-2: reject a claim with its reason (shown to the customer)."""
    if not reason.strip():
        raise ValueError("a rejection needs its reason")
    claim = _locked(claim)
    if not claim.is_open:
        raise ClaimStateError("this claim is already closed")
    claim.status = WarrantyClaim.Status.REJECTED
    claim.rejection_reason = reason
    claim.resolved_at = timezone.now()
    claim.save(update_fields=["status", "rejection_reason", "resolved_at"])
    events.rejected(claim=claim, actor=actor, message=reason[:500])
    queue_email(
        template="mail/warranty/claim_rejected",
        to=claim.contact_email,
        context={**mail_context(claim), "reason": reason},
        language=claim.language,
    )
    return claim


def record_warranty_refund(*, claim: WarrantyClaim, actor=None):
    """The refund remedy (WAR-4): the claimed unit (the line's next unit, REF-1) comes back through the one path of
    returned goods (`returns.services.refund_for_returned_goods`): its bonuses settled as for a return (LOY-9/REF-3),
    the delivery not refunded yet (REF-2: the goods were defective), owed back the way the order was paid (REF-4) by
    the REF-5 deadline of its payment method. Refused (ClaimStateError) when nothing of the line is left to refund.
    Under the order's lock, as a return's refund: the units already refunded and the delivery are read for the whole
    order, so two refunds of the same order never both take the same unit or the delivery."""
    refund = refund_services.refund_for_returned_goods(
        order=order_locks.order_for_update(claim.order_id),
        reason=Refund.Reason.WARRANTY,
        quantities={claim.order_line_id: 1},
        shop_fault=True,
        loyalty_key=f"warranty:{claim.pk}",
        actor=actor,
    )
    if refund is None:
        raise ClaimStateError("nothing is left to refund for this unit")
    return refund


def flag_overdue_claims(*, limit: int = 500) -> list[str]:
    """WAR-6/SUP-2 sweep: open claims past their one-month deadline are flagged (once) and support gets one mail
    listing the newly flagged. Idempotent: a second run flags and mails nothing. Returns the numbers flagged."""
    today = deadlines.today()
    flagged = []
    with transaction.atomic():
        overdue = (
            WarrantyClaim.objects.select_for_update(skip_locked=True)
            .filter(status__in=WarrantyClaim.OPEN_STATUSES, due_by__lt=today, overdue_flagged_at__isnull=True)
            .order_by("due_by", "pk")[:limit]
        )
        now = timezone.now()
        for claim in overdue:
            claim.overdue_flagged_at = now
            claim.save(update_fields=["overdue_flagged_at"])
            events.overdue(claim=claim, message=claim.due_by.isoformat())
            days = (today - claim.due_by).days
            flagged.append({"number": claim.number, "due_by": claim.due_by.strftime("%d.%m.%Y"), "days": days})
        if flagged and settings.SHOP_WARRANTY_ALERT_EMAILS:
            queue_email(
                template="mail/warranty/overdue_digest",
                to=settings.SHOP_WARRANTY_ALERT_EMAILS,
                context={"claims": flagged},
                language=settings.LANGUAGE_CODE,
            )
    return [item["number"] for item in flagged]
