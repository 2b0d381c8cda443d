"""Delivery at checkout (DLV-1..4, ORD-8): which methods serve a city, what they cost and when the parcel arrives
— read from the settings, the tariff table and the shop's calendar (base.workdays), computed by `policy`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from base.workdays import shop_calendar, shop_tz
from shop.catalogue_version import catalogue_version

from .. import policy
from ..models import City, DeliveryMethodChoice, PickupPoint, StoreStock
from .carriers import get_carrier, parse_hhmm


def estimate(placed_at: datetime) -> tuple[date, date, date]:
    """(processing starts, earliest delivery, latest delivery) for an order placed at `placed_at` (ORD-8, DLV-4)."""
    calendar, tz = shop_calendar(), shop_tz()
    start = policy.processing_start(placed_at, calendar, tz)
    earliest, latest = policy.delivery_window(
        placed_at,
        calendar,
        tz,
        min_days=settings.SHOP_DELIVERY_MIN_WORKING_DAYS,
        max_days=settings.SHOP_DELIVERY_MAX_WORKING_DAYS,
    )
    return start, earliest, latest


@dataclass(frozen=True)
class DeliveryOption:
    method: str
    label: str
    available: bool
    cost: Decimal | None
    reason: str = ""  # why not available, for the shopper


def parcel_of(lines) -> policy.Parcel:
    """`lines`: objects with .variant and .quantity (cart lines)."""
    goods = sum((line.variant.current_price * line.quantity for line in lines), policy.ZERO)
    weight = sum((line.variant.weight_kg * line.quantity for line in lines), Decimal("0"))
    return policy.Parcel(goods_total=goods, weight_kg=weight, has_bulky=any(line.variant.is_bulky for line in lines))


def city_store_holds(city_id: int, lines) -> bool:
    """Express (DLV-1): some active store of the city holds every line's quantity."""
    needed = {line.variant_id: line.quantity for line in lines}
    if not needed:
        return False
    held: dict[int, set[int]] = {}
    for store_id, variant_id, quantity in StoreStock.objects.filter(
        store__city_id=city_id, store__is_active=True, variant_id__in=needed
    ).values_list("store_id", "variant_id", "quantity"):
        if quantity >= needed[variant_id]:
            held.setdefault(store_id, set()).add(variant_id)
    return any(len(variants) == len(needed) for variants in held.values())


def delivery_options(*, city_id: int | None, lines, now: datetime, methods=None) -> list[DeliveryOption]:
    """Every method the shop offers (or only `methods`), priced for the city, with the reason when one cannot be
    chosen."""
    carrier = get_carrier()
    parcel = parcel_of(lines)
    methods = [m for m in settings.SHOP_DELIVERY_METHODS if methods is None or m in methods]
    quotes = carrier.quotes(methods=methods, city_id=city_id, parcel=parcel) if city_id is not None else {}
    options = []
    for method in methods:
        label = DeliveryMethodChoice(method).label
        if city_id is None:
            options.append(DeliveryOption(method, label, False, None, _("Choose the city first.")))
            continue
        quote = quotes[method]
        if quote is None:
            options.append(DeliveryOption(method, label, False, None, _("Not available in this city.")))
            continue
        if (
            method == DeliveryMethodChoice.PICKUP
            and not PickupPoint.objects.filter(city_id=city_id, is_active=True).exists()
        ):
            options.append(DeliveryOption(method, label, False, None, _("No pickup point in this city.")))
            continue
        if method == DeliveryMethodChoice.EXPRESS:
            allowed, code = policy.express_available(
                now.astimezone(shop_tz()),
                opens=parse_hhmm(settings.SHOP_EXPRESS_OPENS),
                closes=parse_hhmm(settings.SHOP_EXPRESS_CLOSES),
                city_has_store_stock=city_store_holds(city_id, lines),
            )
            if not allowed:
                reason = (
                    _("Express delivery can be ordered from %(opens)s to %(closes)s (local time).")
                    % {"opens": settings.SHOP_EXPRESS_OPENS, "closes": settings.SHOP_EXPRESS_CLOSES}
                    if code == policy.EXPRESS_OUTSIDE_HOURS
                    else _("Express delivery needs all the goods in a store of this city.")
                )
                options.append(DeliveryOption(method, label, False, None, reason))
                continue
        options.append(DeliveryOption(method, label, True, quote.cost))
    return options


# --- Reference data read on every checkout ------------------------------------------------------------------------

_cities_by_version: dict[int, list] = {}


def active_cities() -> list[City]:
    """The cities offered at checkout, by position. Kept in this process for the current catalogue version (a saved
    city starts a new one: orders/receivers.py), so checkout pages and "Confirm order" don't read them every time;
    placing the order still checks the chosen city in the database."""
    version = catalogue_version()
    cities = _cities_by_version.get(version)
    if cities is None:
        cities = list(City.objects.filter(is_active=True).order_by("position", "name"))
        _cities_by_version.clear()
        _cities_by_version[version] = cities
    return cities


def active_pickup_points() -> list[PickupPoint]:
    return list(
        PickupPoint.objects.filter(is_active=True, city__is_active=True)
        .select_related("city")
        .order_by("city__position", "city__name", "name")
    )
