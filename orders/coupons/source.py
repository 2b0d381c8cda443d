"""The coupon as a discount source (CPN-1, CPN-2): the code in the slot, its terms checked, its shares per line."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from base.money import format_money

from .. import locks, policy
from ..discount_sources import DiscountSource, Offer
from ..models import Coupon, DiscountKind
from .messages import UNKNOWN, coupon_refusal_message
from .selectors import coupon_category_ids, coupon_terms, customer_coupon_uses, find_coupon


class CouponSource(DiscountSource):
    """The slot holds ``{"kind": "coupon", "code": "SPRING10"}``; without a code the coupon offers nothing."""

    kind = DiscountKind.COUPON.value
    label = DiscountKind.COUPON.label
    field = "coupon_code"

    def offer(self, *, lines, amounts, customer, email, now, slot, locked=False):
        code = (slot or {}).get("code") or ""
        if not code:
            return None
        coupon = find_coupon(code)
        if coupon is None:
            return Offer.refused(kind=self.kind, refusal=coupon_refusal_message(UNKNOWN))
        if locked:  # its use count is re-read under the lock: two orders never take the last use both
            coupon = locks.coupon_for_update(coupon.pk)
        described = {"description": _("Discount (coupon %(code)s)") % {"code": coupon.code}, "subject": coupon}
        scope = coupon_category_ids(coupon)
        priced_lines = [
            policy.PricedLine(
                amount=amount,
                on_sale=line.variant.sale_price is not None,
                in_scope=scope is None or line.variant.product.category_id in scope,
            )
            for line, amount in zip(lines, amounts, strict=True)
        ]
        terms = coupon_terms(coupon)
        uses = customer_coupon_uses(coupon, email)
        refusal = policy.coupon_refusal(terms, priced_lines, now=now, customer_uses=uses)
        if refusal != policy.COUPON_OK:
            message = coupon_refusal_message(refusal, minimum=coupon.min_goods_total)
            return Offer.refused(kind=self.kind, refusal=message, **described)
        shares = policy.coupon_shares(terms, priced_lines)
        return Offer(kind=self.kind, amount=sum(shares, policy.ZERO), shares=tuple(shares), **described)

    def applied_message(self, offer):
        return _("Coupon %(code)s applied: your discount is %(amount)s.") % {
            "code": offer.subject.code,
            "amount": format_money(offer.amount),
        }

    def order_fields(self, offer):
        return {"coupon": offer.subject, "coupon_code": offer.subject.code}

    def commit(self, *, order, offer, lines):
        Coupon.objects.filter(pk=offer.subject.pk).update(times_used=F("times_used") + 1)

    def release(self, *, order):
        """Nothing to give back: a cancelled order's use no longer counts against the customer (cancelled orders
        are not counted), and the coupon's total `times_used` stays, as it always has."""
