"""The order's one discount slot (CPN-1, CPN-2), kept in the session until the order is placed: a coupon today."""

from __future__ import annotations

from django.utils.translation import gettext as _

from base.money import format_money

from ..coupons.messages import ANOTHER_DISCOUNT, UNKNOWN, coupon_refusal_message
from ..coupons.selectors import find_coupon
from ..models import DiscountKind
from .pricing import price_lines

DISCOUNT_SESSION_KEY = "checkout_discount"


def applied_coupon_code(session) -> str:
    slot = session.get(DISCOUNT_SESSION_KEY)
    if isinstance(slot, dict) and slot.get("kind") == DiscountKind.COUPON:
        return str(slot.get("code") or "")
    return ""


def apply_coupon(session, *, code: str, lines, email: str, now) -> tuple[bool, str]:
    """Put the coupon in the order's one discount slot when it applies to these goods now; (applied, message)."""
    code = (code or "").strip().upper()
    if not code:
        return False, _("Enter the coupon code.")
    slot = session.get(DISCOUNT_SESSION_KEY)
    if slot and applied_coupon_code(session) != code:
        return False, coupon_refusal_message(ANOTHER_DISCOUNT)
    coupon = find_coupon(code)
    if coupon is None:
        return False, coupon_refusal_message(UNKNOWN)
    priced = price_lines(lines, coupon=coupon, email=email, now=now)
    if priced.coupon_error:
        return False, priced.coupon_error
    session[DISCOUNT_SESSION_KEY] = {"kind": DiscountKind.COUPON.value, "code": coupon.code}
    return True, _("Coupon %(code)s applied: your discount is %(amount)s.") % {
        "code": coupon.code,
        "amount": format_money(priced.discount_total),
    }


def remove_discount(session) -> bool:
    return session.pop(DISCOUNT_SESSION_KEY, None) is not None
