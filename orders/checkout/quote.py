"""The checkout's quote (DLV-1..4, CPN-1, PAY-1): for a city and a delivery method, every option with its cost or
the reason it cannot be chosen, the ETA, the applied discount, the payment methods for the total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from base.workdays import shop_tz

from ..coupons.messages import UNKNOWN, coupon_refusal_message
from ..coupons.selectors import find_coupon
from ..delivery.selectors import DeliveryOption, delivery_options, estimate
from ..models import City, DeliveryMethodChoice
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
    coupon_code: str  # the applied coupon (the session's slot), "" without one
    coupon_error: str  # why the applied coupon gives no discount now
    delivery_cost: Decimal | None
    total: Decimal | None
    payment_methods: list
    payment: str | None

    def option(self, method: str) -> DeliveryOption | None:
        return next((row.option for row in self.rows if row.option.method == method), None)

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


def build_quote(*, lines, city, method, payment, coupon_code, email, now) -> CheckoutQuote:
    """Price the cart for `city` and `method`: every delivery option with its cost or the reason it cannot be
    chosen, the ETA (DLV-4; express: today), the applied coupon's discount, the payment methods for the total."""
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
    coupon = find_coupon(coupon_code) if coupon_code else None
    priced = price_lines(lines, coupon=coupon, email=email, now=now)
    coupon_error = priced.coupon_error
    if coupon_code and coupon is None:
        coupon_error = coupon_refusal_message(UNKNOWN)
    delivery_cost = next((o.cost for o in options if o.method == method), None) if method else None
    total = priced.after_discount + delivery_cost if delivery_cost is not None else None
    payments = available_methods(amount=total, delivery_method=method) if total is not None else []
    codes = [adapter.code for adapter in payments]
    return CheckoutQuote(
        city=city,
        method=method,
        rows=rows,
        priced=priced,
        coupon_code=coupon_code,
        coupon_error=coupon_error,
        delivery_cost=delivery_cost,
        total=total,
        payment_methods=payments,
        payment=payment if payment in codes else (codes[0] if codes else None),
    )
