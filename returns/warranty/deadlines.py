"""Where the warranty rules meet the shop's settings and clock: reads the month counts (SHOP_WARRANTY_*) and takes
days in the shop's time zone, then calls `returns.warranty.policy`. Nothing else in the warranty package reads
these settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from base.workdays import shop_tz

from . import policy

# Order statuses (orders.models.OrderStatus values) in which the goods are in the customer's hands.
COMPLETED = "completed"
HANDED_OVER = ("delivered", COMPLETED)


def local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment, shop_tz()).date() if moment is not None else None


def today() -> date:
    return timezone.localtime(timezone.now(), shop_tz()).date()


@dataclass(frozen=True)
class ItemWarranty:
    """WAR-1/WAR-2 for one order line: when it started, why, and its last day."""

    start: policy.WarrantyStart | None
    last_day: date | None
    delivered_on: date | None


def item_warranty(order_line, *, manufactured_on: date | None = None) -> ItemWarranty:
    """The warranty of an order line: from delivery (or the hand-over when completed without a delivery day, or
    the manufacture date), moved to the season start for seasonal goods (CAT-2 on the product), for the months
    frozen on the line, never shorter than SHOP_WARRANTY_LEGAL_MINIMUM_MONTHS from delivery. Goods not handed over
    yet (no delivery day, order not delivered or completed) have no warranty running."""
    order = order_line.order
    delivered_on = local_day(order.delivered_at)
    if delivered_on is None and order.status not in HANDED_OVER:
        return ItemWarranty(start=None, last_day=None, delivered_on=None)  # not in the customer's hands yet
    product = order_line.variant.product if order_line.variant_id else None
    season = None
    if product is not None and product.seasonal and product.season_start_month and product.season_start_day:
        season = (product.season_start_month, product.season_start_day)
    start = policy.warranty_start(
        delivered_on=delivered_on,
        purchased_on=local_day(order.closed_at) if order.status == COMPLETED else None,
        manufactured_on=manufactured_on,
        season_start=season,
        season_months=settings.SHOP_WARRANTY_SEASON_MONTHS,
    )
    last = None
    if start is not None:
        last = policy.warranty_last_day(
            start.day,
            months=order_line.warranty_months,
            delivered_on=delivered_on,
            legal_minimum_months=settings.SHOP_WARRANTY_LEGAL_MINIMUM_MONTHS,
        )
    return ItemWarranty(start=start, last_day=last, delivered_on=delivered_on)


def claim_window_for(warranty: ItemWarranty, *, claimed_on: date, defect_found_on: date) -> policy.ClaimWindow:
    """WAR-2 with SHOP_WARRANTY_REPORT_MONTHS."""
    return policy.claim_window(
        claimed_on=claimed_on,
        defect_found_on=defect_found_on,
        handed_over_on=warranty.delivered_on,
        warranty_last_day=warranty.last_day,
        report_months=settings.SHOP_WARRANTY_REPORT_MONTHS,
    )


def defect_presumed_for(warranty: ItemWarranty, defect_found_on: date) -> bool:
    """WAR-5 with SHOP_WARRANTY_PRESUMPTION_MONTHS."""
    return policy.defect_presumed(
        delivered_on=warranty.delivered_on,
        defect_found_on=defect_found_on,
        presumption_months=settings.SHOP_WARRANTY_PRESUMPTION_MONTHS,
    )


def resolution_deadline_for(claimed_on: date) -> date:
    """WAR-6 with SHOP_WARRANTY_RESOLUTION_MONTHS."""
    return policy.resolution_deadline(claimed_on, months=settings.SHOP_WARRANTY_RESOLUTION_MONTHS)


def refund_right_after_repairs_for(repairs: int) -> bool:
    """WAR-6 with SHOP_WARRANTY_REPAIRS_BEFORE_REFUND."""
    return policy.refund_right_after_repairs(
        repairs_within_warranty=repairs, repairs_before_refund=settings.SHOP_WARRANTY_REPAIRS_BEFORE_REFUND
    )
