"""Reading coupons (CPN-1): a coupon by its code, its terms as the policy sees them, its categories, its uses."""

from __future__ import annotations

from base.request_text import clean_text
from shop.models import Category

from .. import policy
from ..models import Coupon, Order, OrderStatus

MAX_CODE_LENGTH = 32


def find_coupon(code: str) -> Coupon | None:
    code = (clean_text(code, max_length=MAX_CODE_LENGTH) or "").strip().upper()
    if not code:
        return None
    return Coupon.objects.filter(code=code).first()


def coupon_terms(coupon: Coupon) -> policy.CouponTerms:
    return policy.CouponTerms(
        kind=coupon.kind,
        value=coupon.value,
        min_goods_total=coupon.min_goods_total,
        valid_from=coupon.valid_from,
        valid_until=coupon.valid_until,
        max_uses=coupon.max_uses,
        times_used=coupon.times_used,
        max_uses_per_customer=coupon.max_uses_per_customer,
        is_active=coupon.is_active,
    )


def coupon_category_ids(coupon: Coupon) -> set[int] | None:
    """The coupon's categories with all their descendants; None for an all-categories coupon."""
    roots = set(coupon.categories.values_list("pk", flat=True))
    if not roots:
        return None
    scope, frontier = set(roots), set(roots)
    while frontier:
        frontier = set(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - scope
        scope |= frontier
    return scope


def customer_coupon_uses(coupon: Coupon, email: str) -> int:
    """How many of the customer's orders (by e-mail) used the coupon: a cancelled order does not count, nor one
    whose use was given back (CPN-3, `coupon_released_at`)."""
    if not email or clean_text(email, max_length=254) is None:
        return 0
    return (
        Order.objects.filter(coupon=coupon, email__iexact=email, coupon_released_at__isnull=True)
        .exclude(status=OrderStatus.CANCELLED)
        .count()
    )
