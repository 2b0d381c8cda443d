"""The order's one discount slot (CPN-1, CPN-2), kept in the session until the order is placed.

The slot holds one source's choice, ``{"kind": <DiscountKind>, ...that source's keys}`` — a coupon is
``{"kind": "coupon", "code": "SPRING10"}``. Whatever the registered sources (`orders.discount_sources`), it holds at
most one: a second discount is refused until the first is removed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from base.request_text import NOT_ALLOWED, is_safe_text

from ..discount_sources import get_source, unavailable_message
from ..models import DiscountKind
from .pricing import price_lines

DISCOUNT_SESSION_KEY = "checkout_discount"


def one_discount_message() -> str:
    return _("Only one discount per order: remove the other discount first.")


def discount_slot(session) -> dict | None:
    """The slot's content, None when it is empty (or holds something that is not a slot)."""
    slot = session.get(DISCOUNT_SESSION_KEY)
    return dict(slot) if isinstance(slot, dict) and slot.get("kind") else None


def applied_coupon_code(session) -> str:
    slot = discount_slot(session)
    if slot is not None and slot["kind"] == DiscountKind.COUPON:
        return str(slot.get("code") or "")
    return ""


def apply_discount(session, *, slot: dict, lines, customer, email: str, now) -> tuple[bool, str]:
    """Put `slot` (one source's choice) in the order's one discount slot when its source gives something to these
    goods now; (applied, message). The slot already holding another discount refuses it (CPN-2)."""
    current = discount_slot(session)
    if current is not None and current != slot:
        return False, one_discount_message()
    source = get_source(slot.get("kind"))
    if source is None:
        return False, unavailable_message()
    offer = price_lines(lines, slot=slot, customer=customer, email=email, now=now).offer
    if offer is None or not offer.usable:
        return False, offer.refusal if offer is not None else unavailable_message()
    session[DISCOUNT_SESSION_KEY] = slot
    return True, source.applied_message(offer)


def apply_coupon(session, *, code: str, lines, customer=None, email: str, now) -> tuple[bool, str]:
    """Put the coupon in the order's one discount slot when it applies to these goods now; (applied, message)."""
    code = (code or "").strip().upper()
    if not code:
        return False, _("Enter the coupon code.")
    if not is_safe_text(code):
        return False, str(NOT_ALLOWED)
    slot = {"kind": DiscountKind.COUPON.value, "code": code}
    return apply_discount(session, slot=slot, lines=lines, customer=customer, email=email, now=now)


def remove_discount(session) -> str:
    """Empty the slot; the kind of discount it held ("" when it was empty)."""
    slot = discount_slot(session)
    session.pop(DISCOUNT_SESSION_KEY, None)
    return slot["kind"] if slot is not None else ""
