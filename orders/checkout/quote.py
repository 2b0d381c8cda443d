"""The checkout's quote (DLV-1..4, CPN-1..2, PAY-1): for a city and a delivery method, every option with its cost or
the reason it cannot be chosen, the ETA, the discount in the slot and the better one, the payment methods for the
total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from base.workdays import shop_tz

from ..delivery.selectors import DeliveryOption, delivery_options, estimate
from ..discount_sources import Offer
from ..models import City, DeliveryMethodChoice, DiscountKind
from ..payment_methods import available_methods
from .pricing import PricedCart, price_lines


@dataclass(frozen=True)
class OptionRow:
    """A delivery option as the page lists it: the option, its estimated delivery dates and whether it is chosen."""

    option: DeliveryOption
    eta_from: date
    eta_to: date
    selected: bool

    @property
    def same_day(self) -> bool:
        return self.option.method == DeliveryMethodChoice.EXPRESS


@dataclass
class CheckoutQuote:
    city: City | None
    method: str | None  # the chosen method when it can be chosen, else the first one that can, else None
    rows: list[OptionRow]
    priced: PricedCart
    slot: dict | None  # the order's one discount slot (CPN-2), None when empty
    delivery_cost: Decimal | None
    total: Decimal | None
    payment_methods: list
    payment: str | None

    def option(self, method: str) -> DeliveryOption | None:
        return next((row.option for row in self.rows if row.option.method == method), None)

    @property
    def coupon_code(self) -> str:
        """The coupon in the slot, "" without one."""
        slot = self.slot or {}
        return str(slot.get("code") or "") if slot.get("kind") == DiscountKind.COUPON else ""

    @property
    def discount_error(self) -> str:
        """Why the discount in the slot gives nothing now."""
        return self.priced.discount_error

    @property
    def better(self) -> Offer | None:
        """CPN-2: the better discount for this cart, when more than one source offers one."""
        return self.priced.better

    @property
    def bonus_offer(self) -> Offer | None:
        """Issue 14 (LOY-8): what the customer's bonuses give this cart (balance, cap), None for a non-member."""
        return next((offer for offer in self.priced.offers if offer.kind == DiscountKind.BONUSES), None)

    @property
    def total_with_bonuses(self) -> Decimal | None:
        """The total this cart would have with the bonuses instead of the slot's discount (CPN-2: one of them)."""
        offer = self.bonus_offer
        if offer is None or not offer.usable or self.delivery_cost is None:
            return None
        return self.priced.goods_total - offer.amount + self.delivery_cost

    @property
    def payment_codes(self) -> set[str]:
        return {adapter.code for adapter in self.payment_methods}

    @property
    def expected_total(self) -> str:
        return "" if self.total is None else str(self.total)

    @property
    def selected_row(self) -> OptionRow | None:
        return next((row for row in self.rows if row.selected), None)

    @property
    def logistics_phone(self) -> str:
        return settings.SHOP_LOGISTICS_MANAGER_PHONE if self.method == DeliveryMethodChoice.LOGISTICS else ""


def build_quote(*, lines, city, method, payment, slot, customer, email, now) -> CheckoutQuote:
    """Price the cart for `city` and `method`: every delivery option with its cost or the reason it cannot be
    chosen, the ETA (DLV-4; express: today), the discount in the slot and what every other source would give
    (CPN-2), the payment methods for the total."""
    options = delivery_options(city_id=city.pk if city else None, lines=lines, now=now)
    allowed = [option.method for option in options if option.available]
    if method not in allowed:
        method = allowed[0] if allowed else None
    _start, eta_from, eta_to = estimate(now)
    today = now.astimezone(shop_tz()).date()
    rows = [
        OptionRow(
            option=option,
            eta_from=today if option.method == DeliveryMethodChoice.EXPRESS else eta_from,
            eta_to=today if option.method == DeliveryMethodChoice.EXPRESS else eta_to,
            selected=option.method == method,
        )
        for option in options
    ]
    priced = price_lines(lines, slot=slot, customer=customer, email=email, now=now, compare=True)
    delivery_cost = next((o.cost for o in options if o.method == method), None) if method else None
    total = priced.after_discount + delivery_cost if delivery_cost is not None else None
    payments = available_methods(amount=total, delivery_method=method) if total is not None else []
    codes = [adapter.code for adapter in payments]
    return CheckoutQuote(
        city=city,
        method=method,
        rows=rows,
        priced=priced,
        slot=slot,
        delivery_cost=delivery_cost,
        total=total,
        payment_methods=payments,
        payment=payment if payment in codes else (codes[0] if codes else None),
    )
