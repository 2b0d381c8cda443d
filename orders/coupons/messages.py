"""What the shopper is told when a coupon gives no discount (CPN-1), one sentence per refusal."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from base.money import format_amount_in_sentence

from .. import policy

UNKNOWN = "unknown"


def coupon_refusal_message(code: str, *, minimum: Decimal | None = None) -> str:
    messages = {
        UNKNOWN: _("There is no such coupon. Check the code."),
        policy.COUPON_INACTIVE: _("This coupon is no longer valid."),
        policy.COUPON_NOT_YET_VALID: _("This coupon is not valid yet."),
        policy.COUPON_EXPIRED: _("This coupon has expired."),
        policy.COUPON_USED_UP: _("This coupon has been used up."),
        policy.COUPON_USED_BY_CUSTOMER: _("You have already used this coupon."),
        policy.COUPON_NOT_FOR_THESE_GOODS: _(
            "This coupon does not apply to the goods in your cart (sale items get no further discount)."
        ),
        policy.COUPON_MINIMUM_NOT_REACHED: _("This coupon needs goods worth at least %(minimum)s ₸.")
        % {"minimum": format_amount_in_sentence(minimum or 0, places=0)},
    }
    return messages[code]
