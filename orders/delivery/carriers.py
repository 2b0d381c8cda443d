"""Carrier adapters (DLV-2): who prices a parcel and where its tracking page is.

The shop talks to carriers only through `Carrier`; the built-in `TableCarrier` prices from the admin tariff
table. A real carrier API (CDEK, Kazpost...) is another class listed in ``SHOP_CARRIER``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from .. import policy
from ..models import DeliveryTariff


@dataclass(frozen=True)
class Quote:
    method: str
    cost: Decimal


class Carrier:
    """The interface: `quote` returns None when the method does not serve the city."""

    name = ""

    def quote(self, *, method: str, city_id: int, parcel: policy.Parcel) -> Quote | None:
        raise NotImplementedError

    def quotes(self, *, methods, city_id: int, parcel: policy.Parcel) -> dict[str, Quote | None]:
        """Every method's quote for one city; a carrier that can price them together overrides this."""
        return {method: self.quote(method=method, city_id=city_id, parcel=parcel) for method in methods}

    def tracking_url(self, tracking_number: str) -> str:
        template = settings.SHOP_TRACKING_URL
        return template.format(number=tracking_number) if template and tracking_number else ""


class TableCarrier(Carrier):
    """Prices from `DeliveryTariff`: the city's own row, else the method's all-cities row."""

    name = "table"

    def tariff(self, *, method: str, city_id: int) -> policy.Tariff | None:
        rows = {
            row.city_id: row
            for row in DeliveryTariff.objects.filter(method=method, is_active=True, city_id__in=[city_id])
            | DeliveryTariff.objects.filter(method=method, is_active=True, city__isnull=True)
        }
        return self._tariff_of(rows.get(city_id) or rows.get(None))

    def quote(self, *, method: str, city_id: int, parcel: policy.Parcel) -> Quote | None:
        return self._priced(method, self.tariff(method=method, city_id=city_id), parcel)

    def quotes(self, *, methods, city_id: int, parcel: policy.Parcel) -> dict[str, Quote | None]:
        """All the methods' rows for the city in one query (checkout prices every method on each request)."""
        methods = list(methods)
        rows = {}
        for row in DeliveryTariff.objects.filter(method__in=methods, is_active=True).filter(
            Q(city_id=city_id) | Q(city__isnull=True)
        ):
            if row.city_id is not None or row.method not in rows:  # the city's own row wins
                rows[row.method] = row
        return {method: self._priced(method, self._tariff_of(rows.get(method)), parcel) for method in methods}

    @staticmethod
    def _tariff_of(row) -> policy.Tariff | None:
        if row is None:
            return None
        return policy.Tariff(
            method=row.method,
            city=str(row.city_id or ""),
            base_cost=row.base_cost,
            per_kg=row.per_kg,
            free_from=row.free_from,
            bulky_surcharge=row.bulky_surcharge,
        )

    @staticmethod
    def _priced(method: str, tariff: policy.Tariff | None, parcel: policy.Parcel) -> Quote | None:
        if tariff is None:
            return None
        cost = policy.delivery_cost(
            tariff,
            parcel,
            heavy_threshold_kg=settings.SHOP_HEAVY_THRESHOLD_KG,
            heavy_surcharge_per_kg=settings.SHOP_HEAVY_SURCHARGE_PER_KG,
            pickup_free_from=settings.SHOP_PICKUP_FREE_FROM,
        )
        return Quote(method=method, cost=cost)


@lru_cache(maxsize=4)
def _carrier(path: str) -> Carrier:
    return import_string(path)()


def get_carrier() -> Carrier:
    return _carrier(settings.SHOP_CARRIER)


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))
