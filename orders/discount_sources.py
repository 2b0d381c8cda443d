"""The discount-source registry (CPN-2): the sources of the order's one discount, listed in ``SHOP_DISCOUNT_SOURCES``.

An order holds at most one discount — a coupon or bonuses, never both. Each kind of discount is a source, named by
dotted path in settings (the coupon is `orders.coupons.source.CouponSource`; the loyalty app registers its bonuses
the same way, so orders never imports loyalty). The checkout's slot (`orders.checkout.discounts`) keeps which
source the shopper chose, ``{"kind": <the source's kind>, ...the source's own keys}``, and asks the sources:

- ``offer(...)`` → an `Offer`: what the source gives this cart and customer now — the amount, its share of each
  line (the existing pro-rata allocation, so refunds (REF-1) and accruals (LOY-5) read them per line), a
  description for the page — or a refusal saying why it gives nothing. The page asks every source, so it can show
  which is better; `place_order` asks only the slot's source, with ``locked=True`` inside its transaction: the
  source then locks what it will spend (the coupon row; the bonus account) and re-checks from the locked rows, so
  the offer it returns is final.
- ``commit(order=, offer=, lines=)`` — in the same transaction, right after the order and its lines are saved:
  make it stick (the coupon counts one more use; bonuses debit the ledger per line).
- ``release(order=)`` — undo `commit` when the order is cancelled or expires unpaid (bonuses come back at once).
  The coupon gives nothing back: its use stops counting for the customer because cancelled orders are not counted,
  and `times_used` stays, as before. Called with the order's row locked; must be idempotent (a second call for the
  same order changes nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import policy


@dataclass(frozen=True)
class Offer:
    """What one source gives this cart now. `shares` follow the cart's lines and sum exactly to `amount`; a refused
    offer gives nothing and says why in `refusal` (for the shopper, shown on the source's form field)."""

    kind: str  # the source's kind, a `DiscountKind` value
    amount: Decimal = policy.ZERO
    shares: tuple[Decimal, ...] = ()
    description: str = ""  # for the page and the order summary, e.g. "Discount (coupon SPRING10)"
    refusal: str = ""
    subject: object = None  # what `commit` spends, for the source's own use: the coupon row, the bonus account

    @property
    def usable(self) -> bool:
        return not self.refusal

    @classmethod
    def spread(cls, *, kind: str, amount: Decimal, over: Sequence[Decimal], **fields) -> Offer:
        """An offer of `amount` split over the lines pro rata to `over` (each line's amount that may take a
        discount, zero for the others) with the shop's allocation in whole tiyn (`policy.allocate_discount`)."""
        return cls(kind=kind, amount=amount, shares=tuple(policy.allocate_discount(list(over), amount)), **fields)

    @classmethod
    def refused(cls, *, kind: str, refusal: str, **fields) -> Offer:
        return cls(kind=kind, refusal=refusal, **fields)


class DiscountSource:
    kind = ""  # a `DiscountKind` value, also the slot's "kind"
    label = ""
    field = "discount_kind"  # the checkout form field its refusals are shown on

    def offer(self, *, lines, amounts, customer, email: str, now: datetime, slot: dict | None, locked=False):
        """The `Offer` for these cart lines (CartLine with variant and product loaded; `amounts` = each line's
        current price × quantity), or None when the source has nothing to offer and nothing to say (the coupon
        without a code). `slot` is the slot's content when the shopper chose this source, else None; `customer` is
        the signed-in user or None; `locked=True` only inside `place_order`'s transaction (see the module)."""
        raise NotImplementedError

    def applied_message(self, offer: Offer) -> str:
        """What the shopper is told when the slot takes this offer."""
        return offer.description

    def order_fields(self, offer: Offer) -> dict:
        """The order's own columns this source fills when the order is saved (the coupon: coupon, coupon_code)."""
        return {}

    def commit(self, *, order, offer: Offer, lines) -> None:
        """Make the discount stick, inside `place_order`'s transaction; `lines` are the saved OrderLines."""

    def release(self, *, order) -> None:
        """Undo `commit` for a cancelled or expired unpaid order; idempotent."""


@lru_cache(maxsize=8)
def _sources(paths: tuple[str, ...]) -> dict[str, DiscountSource]:
    sources = {}
    for path in paths:
        source = import_string(path)()
        sources[source.kind] = source
    return sources


def all_sources() -> dict[str, DiscountSource]:
    """The registered sources by kind, in the settings' order."""
    return _sources(tuple(settings.SHOP_DISCOUNT_SOURCES))


def get_source(kind: str) -> DiscountSource | None:
    return all_sources().get(kind or "")


def unavailable_message() -> str:
    """For a discount kind no registered source gives (a stale slot, a form naming a kind the shop does not have)."""
    return _("This discount is not available: remove it and confirm the order again.")


def better_offer(offers: Sequence[Offer]) -> Offer | None:
    """CPN-2: the better of the usable offers — the larger amount, the first registered on a tie — when more than
    one source offers something; None otherwise (one offer is nothing to compare)."""
    usable = [offer for offer in offers if offer.usable]
    if len(usable) < 2:
        return None
    return max(usable, key=lambda offer: offer.amount)  # max keeps the first of equals


def release_discount(*, order) -> None:
    """Give back what the order's discount took (`DiscountSource.release`), for a cancelled or expired unpaid order;
    nothing for an order without a discount or whose source is no longer registered."""
    source = get_source(order.discount_kind)
    if source is not None:
        source.release(order=order)
