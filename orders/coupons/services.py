"""Coupon batches (CPN-1): many codes issued at once under one batch label, e.g. for a mailing or a partner; and
a coupon use given back (CPN-3).

Codes are random, upper-case Latin letters and digits without the look-alikes (0/O, 1/I/L), so they survive
being read aloud or typed from print; an optional prefix says where they came from: ``SPRING-7KXQ2M9A``."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Coupon, Order

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RANDOM_LENGTH = 8  # 31⁸ ≈ 8.5·10¹¹ codes: guessing one of 10 000 takes ~10⁸ tries
PREFIX_MAX_LENGTH = 12
MAX_BATCH_SIZE = 10_000
_CHECK_CHUNK = 2_000


class CouponBatchError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean_prefix(prefix: str) -> str:
    """The prefix as stored: trimmed, upper case, without a trailing hyphen; only A–Z and 0–9."""
    prefix = (prefix or "").strip().upper().rstrip("-")
    if len(prefix) > PREFIX_MAX_LENGTH or not all(ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" for ch in prefix):
        raise CouponBatchError(
            _("The prefix may hold up to %(max)d Latin letters and digits.") % {"max": PREFIX_MAX_LENGTH}
        )
    return prefix


def random_code(prefix: str = "") -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{prefix}-{body}" if prefix else body


def _fresh_codes(count: int, prefix: str) -> list[str]:
    """`count` distinct codes none of which is already taken."""
    codes: set[str] = set()
    while len(codes) < count:
        candidates = list({random_code(prefix) for _ in range(count - len(codes))} - codes)
        for start in range(0, len(candidates), _CHECK_CHUNK):
            chunk = candidates[start : start + _CHECK_CHUNK]
            taken = set(Coupon.objects.filter(code__in=chunk).values_list("code", flat=True))
            codes |= set(chunk) - taken
    return sorted(codes)


def generate_batch(
    *,
    count: int,
    batch: str,
    kind: str,
    value: Decimal,
    valid_from: datetime,
    valid_until: datetime,
    prefix: str = "",
    min_goods_total: Decimal = Decimal("0"),
    max_uses: int | None = 1,
    max_uses_per_customer: int | None = 1,
    categories: Iterable = (),
    is_active: bool = True,
) -> list[Coupon]:
    """Create `count` coupons with unique random codes and the same terms, labelled `batch` (which must be new,
    so the batch can later be listed and exported as a whole). Raises CouponBatchError or ValidationError."""
    if not 1 <= count <= MAX_BATCH_SIZE:
        raise CouponBatchError(_("A batch holds from 1 to %(max)d coupons.") % {"max": MAX_BATCH_SIZE})
    batch = (batch or "").strip()
    if not batch:
        raise CouponBatchError(_("Give the batch a label."))
    prefix = clean_prefix(prefix)
    terms = {
        "kind": kind,
        "value": value,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "min_goods_total": min_goods_total,
        "max_uses": max_uses,
        "max_uses_per_customer": max_uses_per_customer,
        "batch": batch,
        "is_active": is_active,
    }
    # The terms are the same for every coupon: validated once (fields and CHECK constraints), not 10 000 times.
    Coupon(code=random_code(prefix), **terms).full_clean(validate_unique=False)
    categories = list(categories)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                if Coupon.objects.filter(batch=batch).exists():
                    raise CouponBatchError(
                        _("A batch labelled “%(batch)s” already exists; choose another label.") % {"batch": batch}
                    )
                coupons = Coupon.objects.bulk_create(
                    [Coupon(code=code, **terms) for code in _fresh_codes(count, prefix)], batch_size=1000
                )
                if categories:
                    through = Coupon.categories.through
                    through.objects.bulk_create(
                        [through(coupon_id=c.pk, category_id=cat.pk) for c in coupons for cat in categories],
                        batch_size=2000,
                    )
                return coupons
        except IntegrityError:
            continue  # another batch took one of our codes in the meantime: draw again
    raise ValidationError(_("Could not draw unique codes; try again."))


@transaction.atomic
def release_coupon_use(*, order: Order, now: datetime | None = None) -> bool:
    """CPN-3: the order's coupon use is given back — the coupon counts one use less in all, and the order no longer
    counts against its customer's uses of it (`coupon_released_at`, read by `customer_coupon_uses`). Whether the
    use is due back is the caller's rule (returns decides it). Once per order, guarded by the row itself; False
    when the order had no coupon or gave its use back before."""
    released = Order.objects.filter(pk=order.pk, coupon__isnull=False, coupon_released_at__isnull=True).update(
        coupon_released_at=now or timezone.now()
    )
    if not released:
        return False
    coupon_id = Order.objects.filter(pk=order.pk).values_list("coupon_id", flat=True).get()
    Coupon.objects.filter(pk=coupon_id, times_used__gt=0).update(times_used=F("times_used") - 1)
    return True
