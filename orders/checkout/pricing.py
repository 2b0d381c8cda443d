"""Pricing the cart (ORD-3, CPN-1, CPN-2): current prices of the lines and the one discount's share of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .. import policy
from ..discount_sources import Offer, all_sources, better_offer, get_source, unavailable_message
from ..models import DiscountKind


@dataclass
class PricedCart:
    lines: list  # CartLine with .variant.product loaded
    amounts: list[Decimal]
    shares: list[Decimal]
    goods_total: Decimal
    discount_total: Decimal
    offer: Offer | None = None  # the slot's discount as its source offers it now; None: nothing in the slot
    offers: list[Offer] = field(default_factory=list)  # with `compare`: every source's offer, the slot's first

    @property
    def after_discount(self) -> Decimal:
        return self.goods_total - self.discount_total

    @property
    def discount_error(self) -> str:
        """Why the slot's discount gives nothing now ("" when it applies or the slot is empty)."""
        return self.offer.refusal if self.offer is not None else ""

    @property
    def applied(self) -> Offer | None:
        """The discount the order gets: the slot's offer when it applies."""
        return self.offer if self.offer is not None and self.offer.usable else None

    @property
    def better(self) -> Offer | None:
        """CPN-2: the better of the sources' offers for this cart, when more than one offers something."""
        return better_offer(self.offers)


def price_lines(
    lines, *, slot: dict | None, customer=None, email: str, now: datetime, locked=False, compare=False
) -> PricedCart:
    """Current prices of the lines and the discount in the one slot (CPN-2): its source's offer, with its shares
    when it applies; a refused one leaves the discount at zero and says why in `discount_error`. `locked`: inside
    `place_order`, the source locks and re-checks what it spends. `compare`: also ask every other registered source
    what it would give (the page's "better discount" hint)."""
    amounts = [line.variant.current_price * line.quantity for line in lines]
    goods_total = sum(amounts, policy.ZERO)
    priced = PricedCart(lines, amounts, [policy.ZERO] * len(lines), goods_total, policy.ZERO)
    asked = {"lines": lines, "amounts": amounts, "customer": customer, "email": email, "now": now}
    if slot:
        source = get_source(slot.get("kind"))
        if source is None:
            kind = str(slot.get("kind") or "")
            label = DiscountKind(kind).label if kind in DiscountKind.values else ""
            priced.offer = Offer.refused(kind=kind, refusal=unavailable_message(), description=str(label))
        else:
            priced.offer = source.offer(**asked, slot=slot, locked=locked)
    if compare:
        others = (s.offer(**asked, slot=None) for kind, s in all_sources().items() if kind != (slot or {}).get("kind"))
        priced.offers = [offer for offer in [priced.offer, *others] if offer is not None]
    if priced.applied is not None:
        priced.shares = _checked_shares(priced.applied, amounts)
        priced.discount_total = priced.applied.amount
    return priced


def _checked_shares(offer: Offer, amounts: list[Decimal]) -> list[Decimal]:
    """The offer's shares, refused loudly when a source breaks the allocation's promise: one per line, each within
    its line, summing to the amount (the order's CHECK constraints would refuse them later, less readably)."""
    shares = list(offer.shares)
    if (
        len(shares) != len(amounts)
        or sum(shares, policy.ZERO) != offer.amount
        or any(share < 0 or share > amount for share, amount in zip(shares, amounts, strict=True))
    ):
        raise ValueError(f"the {offer.kind!r} source's shares do not fit the cart: {shares} for {offer.amount}")
    return shares
