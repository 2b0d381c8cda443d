"""Order and delivery rules as pure functions of plain values (no ORM, no I/O, no settings): processing start, ETA,
cost, split, states, coupons. The working-day calendar they take as an argument is `base.workdays`.

Callers read the defaults from settings (``SHOP_DELIVERY_*``, ``SHOP_PICKUP_FREE_FROM``, ``SHOP_EXPRESS_*``,
``SHOP_HEAVY_*``) and pass them in, so every number stays data and every rule is testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from enum import StrEnum

from base.money import ZERO, from_tiyn_count, tiyn_count, to_tiyn
from base.workdays import WorkingCalendar

# --- Processing start and delivery window (ORD-8, DLV-4) --------------------------------------------------------------


def _local_date_time(moment: datetime, tz: tzinfo) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required (the shop's day depends on its time zone)")
    return moment.astimezone(tz)


def processing_start(placed_at: datetime, calendar: WorkingCalendar, tz: tzinfo, *, cutoff: time | None = None) -> date:
    """ORD-8: the day the shop starts processing an order — the (shop-local) day it was placed when that is a
    working day, else the next working day. With a `cutoff`, orders at or after it on a working day roll over.
    """
    local = _local_date_time(placed_at, tz)
    day = local.date()
    if cutoff is not None and local.time() >= cutoff:
        return calendar.next_working_day(day)
    return calendar.working_day_on_or_after(day)


def delivery_window(
    placed_at: datetime,
    calendar: WorkingCalendar,
    tz: tzinfo,
    *,
    min_days: int,
    max_days: int,
    cutoff: time | None = None,
) -> tuple[date, date]:
    """DLV-4: (earliest, latest) delivery date, counted in working days after processing start (ORD-8)."""
    if not 0 <= min_days <= max_days:
        raise ValueError("need 0 <= min_days <= max_days")
    start = processing_start(placed_at, calendar, tz, cutoff=cutoff)
    return calendar.add_working_days(start, min_days), calendar.add_working_days(start, max_days)


# --- Delivery cost (DLV-1..3) -----------------------------------------------------------------------------------


class DeliveryMethod(StrEnum):
    """DLV-1 methods; string values so model choices and forms can reuse them unchanged."""

    COURIER = "courier"
    LOGISTICS = "logistics"
    PICKUP = "pickup"
    EXPRESS = "express"


COURIER = DeliveryMethod.COURIER
LOGISTICS = DeliveryMethod.LOGISTICS
PICKUP = DeliveryMethod.PICKUP
EXPRESS = DeliveryMethod.EXPRESS


@dataclass(frozen=True)
class Tariff:
    """One row of the admin tariff table: a method in a city."""

    method: DeliveryMethod | str
    city: str
    base_cost: Decimal
    per_kg: Decimal
    free_from: Decimal | None  # DLV-3 general free-delivery threshold of this method (None: never free)
    bulky_surcharge: Decimal


@dataclass(frozen=True)
class Parcel:
    """What is being delivered, as far as the price is concerned."""

    goods_total: Decimal
    weight_kg: Decimal
    has_bulky: bool


def delivery_cost(
    tariff: Tariff,
    parcel: Parcel,
    *,
    heavy_threshold_kg: Decimal,
    heavy_surcharge_per_kg: Decimal,
    pickup_free_from: Decimal,
) -> Decimal:
    """DLV-2/DLV-3: the delivery price in KZT, to the tiyn.

    Free (surcharges included) when the goods total reaches the method's threshold, or, for a pickup point,
    `pickup_free_from`. Otherwise base + per-kg, the bulky surcharge once per parcel, and the heavy surcharge on
    every kg above the threshold.
    """
    for name, value in (
        ("goods_total", parcel.goods_total),
        ("weight_kg", parcel.weight_kg),
        ("base_cost", tariff.base_cost),
        ("per_kg", tariff.per_kg),
        ("bulky_surcharge", tariff.bulky_surcharge),
        ("heavy_threshold_kg", heavy_threshold_kg),
        ("heavy_surcharge_per_kg", heavy_surcharge_per_kg),
    ):
        if value < 0:
            raise ValueError(f"{name} must not be negative")
    if tariff.free_from is not None and parcel.goods_total >= tariff.free_from:
        return ZERO
    if tariff.method == DeliveryMethod.PICKUP and parcel.goods_total >= pickup_free_from:
        return ZERO
    cost = tariff.base_cost + tariff.per_kg * parcel.weight_kg
    if parcel.has_bulky:
        cost += tariff.bulky_surcharge
    overweight = max(parcel.weight_kg - heavy_threshold_kg, ZERO)
    cost += heavy_surcharge_per_kg * overweight
    return to_tiyn(cost)


# --- Express same-day courier (DLV-1) ---------------------------------------------------------------------------

EXPRESS_AVAILABLE = "available"
EXPRESS_NO_CITY_STOCK = "no_city_stock"
EXPRESS_OUTSIDE_HOURS = "outside_hours"


def express_available(
    now_local: datetime, *, opens: time, closes: time, city_has_store_stock: bool
) -> tuple[bool, str]:
    """DLV-1: express may be ordered only in a city whose store holds the stock, from `opens` (inclusive) to
    `closes` (exclusive) shop-local time. Returns (allowed, reason code); stock is checked first because no hour
    of the day fixes it. A window with opens > closes runs over midnight; opens == closes is never open.
    """
    if now_local.tzinfo is None or now_local.utcoffset() is None:
        raise ValueError("an aware datetime in the shop's time zone is required")
    if not city_has_store_stock:
        return False, EXPRESS_NO_CITY_STOCK
    at = now_local.time()
    within = opens <= at < closes if opens <= closes else (at >= opens or at < closes)
    if not within:
        return False, EXPRESS_OUTSIDE_HOURS
    return True, EXPRESS_AVAILABLE


# --- Discount allocation over lines (CPN-2, REF-1, LOY-5) -------------------------------------------------------


def allocate_discount(line_amounts: list[Decimal], discount: Decimal) -> list[Decimal]:
    """Split an order discount over its lines pro rata to their amounts, in whole tiyn (largest remainder).

    Each line first gets the floor of its exact share; the tiyn left over go one each to the lines with the
    largest remainders, earlier lines first on ties — so the shares sum exactly to the discount, none is negative,
    none exceeds its line, and each is within one tiyn of its exact share. Later refunds (REF-1) and bonus accruals
    (LOY-5) are computed per line from these shares.
    """
    lines = [tiyn_count(amount, "line amount") for amount in line_amounts]
    total_discount = tiyn_count(discount, "discount")
    total = sum(lines)
    if total_discount > total:
        raise ValueError("the discount exceeds the lines' total")
    if total_discount == 0:
        return [ZERO for _ in lines]
    floors = [total_discount * line // total for line in lines]
    remainders = [total_discount * line % total for line in lines]
    leftover = total_discount - sum(floors)
    by_remainder = sorted(range(len(lines)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[:leftover]:
        floors[i] += 1
    return [from_tiyn_count(share) for share in floors]


# --- Order states (ORD-5, ORD-6) ---------------------------------------------------------------------------------

PLACED, CONFIRMED, PAID, ASSEMBLING, SHIPPED, DELIVERED, COMPLETED, CANCELLED, REFUSED = (
    "placed",
    "confirmed",
    "paid",
    "assembling",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
    "refused",
)

# The state machine is written as functions returning literals, not as module-level tables: mutation testing
# (`make mutation`) only reaches code inside functions, and every entry of the table is a rule to pin.


def transitions() -> dict[str, frozenset[str]]:
    """Every transition the shop allows (ORD-5). Cash-on-delivery orders skip "paid" (confirmed → assembling) and
    are marked paid at delivery without a status change; online orders pass through "paid" before assembling."""
    return {
        "placed": frozenset({"confirmed", "cancelled"}),
        "confirmed": frozenset({"paid", "assembling", "cancelled"}),
        "paid": frozenset({"assembling", "cancelled"}),
        "assembling": frozenset({"shipped", "cancelled"}),
        "shipped": frozenset({"delivered", "refused"}),
        "delivered": frozenset({"completed"}),
        "completed": frozenset(),
        "cancelled": frozenset(),
        "refused": frozenset(),
    }


def customer_cancellable() -> frozenset[str]:
    """ORD-6: the statuses in which the customer may ask for cancellation — until the order leaves the warehouse."""
    return frozenset({"placed", "confirmed", "paid", "assembling"})


def customer_may_cancel(status: str) -> bool:
    """ORD-6: True while the customer may still ask to cancel an order in `status`."""
    return status in customer_cancellable()


def releases_stock(status: str) -> bool:
    """ORD-4: True for the endings that put the goods back on the shelf (they never left, or came back)."""
    return status in ("cancelled", "refused")


# Read-only views of the rules above, for readers that want the whole table at once.
TRANSITIONS: dict[str, frozenset[str]] = transitions()
CUSTOMER_CANCELLABLE = customer_cancellable()
RELEASES_STOCK = frozenset(status for status in TRANSITIONS if releases_stock(status))


def can_transition(current: str, target: str) -> bool:
    return target in transitions().get(current, frozenset())


def next_statuses(current: str, *, pays_on_delivery: bool) -> list[str]:
    """The statuses staff may move an order to next, in the order of the flow; cash on delivery never goes
    through "paid" and online orders never skip it."""
    options = [
        s
        for s in (CONFIRMED, PAID, ASSEMBLING, SHIPPED, DELIVERED, COMPLETED, REFUSED, CANCELLED)
        if can_transition(current, s)
    ]
    if current == CONFIRMED:
        options.remove(PAID if pays_on_delivery else ASSEMBLING)
    return options


# --- Coupons (CPN-1, CPN-2) --------------------------------------------------------------------------------------

COUPON_OK = "ok"
COUPON_INACTIVE = "inactive"
COUPON_NOT_YET_VALID = "not_yet_valid"
COUPON_EXPIRED = "expired"
COUPON_USED_UP = "used_up"
COUPON_USED_BY_CUSTOMER = "used_by_customer"
COUPON_NOT_FOR_THESE_GOODS = "not_for_these_goods"
COUPON_MINIMUM_NOT_REACHED = "minimum_not_reached"


@dataclass(frozen=True)
class CouponTerms:
    kind: str  # "percent" or "fixed"
    value: Decimal
    min_goods_total: Decimal
    valid_from: datetime
    valid_until: datetime
    max_uses: int | None
    times_used: int
    max_uses_per_customer: int | None
    is_active: bool


@dataclass(frozen=True)
class PricedLine:
    """A cart line as the discount sees it: what it costs and whether a coupon may touch it."""

    amount: Decimal  # unit price × quantity
    on_sale: bool
    in_scope: bool  # the coupon's categories cover it (always True for an all-categories coupon)


def coupon_refusal(terms: CouponTerms, lines: list[PricedLine], *, now: datetime, customer_uses: int) -> str:
    """Why the coupon cannot be used on these lines now (COUPON_OK when it can). Checked in the order a shopper
    would want to hear it: the coupon itself, then its limits, then the goods."""
    if not terms.is_active:
        return COUPON_INACTIVE
    if now < terms.valid_from:
        return COUPON_NOT_YET_VALID
    if now >= terms.valid_until:
        return COUPON_EXPIRED
    if terms.max_uses is not None and terms.times_used >= terms.max_uses:
        return COUPON_USED_UP
    if terms.max_uses_per_customer is not None and customer_uses >= terms.max_uses_per_customer:
        return COUPON_USED_BY_CUSTOMER
    if not any(line.in_scope and not line.on_sale for line in lines):
        return COUPON_NOT_FOR_THESE_GOODS
    goods_total = sum((line.amount for line in lines), ZERO)
    if goods_total < terms.min_goods_total:
        return COUPON_MINIMUM_NOT_REACHED
    return COUPON_OK


def coupon_shares(terms: CouponTerms, lines: list[PricedLine]) -> list[Decimal]:
    """The coupon's discount split over the lines, in tiyn: only in-scope lines not on sale take part (CPN-2:
    discounts never stack on a sale item); percent coupons round half-up on the eligible total, fixed coupons
    never exceed it. The shares sum exactly to the discount (largest remainder)."""
    eligible = [line.amount if (line.in_scope and not line.on_sale) else ZERO for line in lines]
    base = sum(eligible, ZERO)
    discount = to_tiyn(base * terms.value / 100) if terms.kind == "percent" else min(terms.value, base)
    return allocate_discount(eligible, min(discount, base))
