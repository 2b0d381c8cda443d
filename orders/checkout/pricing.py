"""Pricing the cart (ORD-3, CPN-1, CPN-2): current prices of the lines and the one discount's share of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .. import policy
from ..coupons.messages import coupon_refusal_message
from ..coupons.selectors import coupon_category_ids, coupon_terms, customer_coupon_uses
from ..models import Coupon


@dataclass
class PricedCart:
    lines: list  # CartLine with .variant.product loaded
    amounts: list[Decimal]
    shares: list[Decimal]
    goods_total: Decimal
    discount_total: Decimal
    coupon: Coupon | None = None
    coupon_error: str = ""

    @property
    def after_discount(self) -> Decimal:
        return self.goods_total - self.discount_total


def price_lines(lines, *, coupon: Coupon | None, email: str, now: datetime) -> PricedCart:
    """Current prices of the lines and, when `coupon` is given and applies, its shares; a refused coupon leaves
    the discount at zero and says why in `coupon_error`."""
    amounts = [line.variant.current_price * line.quantity for line in lines]
    goods_total = sum(amounts, policy.ZERO)
    priced = PricedCart(lines, amounts, [policy.ZERO] * len(lines), goods_total, policy.ZERO)
    if coupon is None:
        return priced
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
    refusal = policy.coupon_refusal(terms, priced_lines, now=now, customer_uses=customer_coupon_uses(coupon, email))
    if refusal != policy.COUPON_OK:
        priced.coupon_error = coupon_refusal_message(refusal, minimum=coupon.min_goods_total)
        return priced
    priced.shares = policy.coupon_shares(terms, priced_lines)
    priced.discount_total = sum(priced.shares, policy.ZERO)
    priced.coupon = coupon
    return priced
