"""Catalogue rules as pure functions of plain values (no ORM, no I/O): prices, availability, flags."""

from calendar import monthrange
from decimal import Decimal
from typing import TypeVar

from base.money import to_tiyn

T = TypeVar("T")

IN_STOCK = "in_stock"
LOW_STOCK = "low_stock"
OUT_OF_STOCK = "out_of_stock"


def current_price(price: Decimal, sale_price: Decimal | None) -> Decimal:
    """What the shopper pays now (CAT-1): the sale price when there is a valid one, else the price."""
    if sale_price is not None and Decimal(0) < sale_price < price:
        return sale_price
    return price


def discount_percent(price: Decimal, sale_price: Decimal | None) -> int:
    """The saving shown on a sale badge, rounded down so it never overstates the discount."""
    if current_price(price, sale_price) == price:
        return 0
    return int((price - sale_price) * 100 / price)


def vat_included(price_incl_vat: Decimal, vat_rate_percent: Decimal) -> Decimal:
    """The VAT contained in a VAT-inclusive price, to the tiyn."""
    if vat_rate_percent <= 0:
        return Decimal("0.00")
    vat = price_incl_vat * vat_rate_percent / (Decimal(100) + vat_rate_percent)
    return to_tiyn(vat)


def availability(stock: int, low_stock_threshold: int) -> str:
    """CAT-3: what the shopper is told about stock."""
    if stock <= 0:
        return OUT_OF_STOCK
    if stock <= low_stock_threshold:
        return LOW_STOCK
    return IN_STOCK


def shown_stock(stock: int, low_stock_threshold: int) -> int:
    """What the catalogue pages can tell about a stock level: out of stock, the exact count while it is low, else just
    "in stock". Two levels with the same shown stock render the same pages, so selling from a deep stock changes no
    cached page (and need not invalidate them)."""
    return max(0, min(stock, low_stock_threshold + 1))


def effective_flag(own: T | None, inherited: T) -> T:
    """CAT-2: a product's flag left empty follows its category."""
    return inherited if own is None else own


def is_valid_month_day(month: int, day: int) -> bool:
    """A season start is a day of the year; 29 February is accepted (leap years)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= monthrange(2024, month)[1]
