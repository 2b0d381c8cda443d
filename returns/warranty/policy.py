"""Warranty rules (WAR-1, WAR-2, WAR-4..6) as pure functions of plain dates and numbers: no ORM, no settings.

`returns.warranty.deadlines` reads the month counts from settings and the days in the shop's time zone and calls
these. Months are counted the way the law counts them: a period of n months from a day ends on the day with the
same number n months later (5 March + 12 months → 5 March next year), or on the last day of that month when it
has no such day (31 January + 1 month → 28 February). The end day is included.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    if months < 0:
        raise ValueError("a period of months cannot be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- WAR-1: when the warranty starts --------------------------------------------------------------------------------


class StartBasis(StrEnum):
    """What the warranty runs from (WAR-1; seed 001 "С какого момента начинается гарантия?")."""

    DELIVERY = "delivery"  # "при заказе товара из интернет-магазина гарантия начинается со дня доставки"
    PURCHASE = "purchase"  # "с момента передачи товара потребителю": handed over, no delivery date recorded
    MANUFACTURE = "manufacture"  # "если нет возможности установить день покупки ... с момента изготовления"
    SEASON = "season"  # "на сезонные товары гарантия идёт с момента начала сезона"


@dataclass(frozen=True)
class WarrantyStart:
    day: date
    basis: StartBasis


def season_start_on_or_before(day: date, *, month: int, day_of_month: int) -> date:
    """The latest start of the season (a yearly month and day) on or before `day`; 29 February is the 28th in a
    common year."""
    for year in (day.year, day.year - 1):
        start = date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))
        if start <= day:
            return start
    raise AssertionError("unreachable: last year's season start always lies before `day`")


def season_warranty_start(handed_over: date, *, month: int, day_of_month: int, season_months: int) -> date:
    """WAR-1 for seasonal goods: bought within a season (its start plus `season_months`), the warranty runs from
    the hand-over; bought out of season, from the start of the next season — it never starts before the goods
    were handed over."""
    started = season_start_on_or_before(handed_over, month=month, day_of_month=day_of_month)
    if handed_over < add_months(started, season_months):
        return handed_over
    next_year = started.year + 1
    return date(next_year, month, min(day_of_month, calendar.monthrange(next_year, month)[1]))


def warranty_start(
    *,
    delivered_on: date | None,
    purchased_on: date | None = None,
    manufactured_on: date | None = None,
    season_start: tuple[int, int] | None = None,
    season_months: int = 6,
) -> WarrantyStart | None:
    """WAR-1: the day the warranty starts and why. Delivery for online orders; the hand-over (purchase) when no
    delivery day is recorded; the manufacture date when the purchase date cannot be established; for seasonal
    goods (`season_start` = (month, day)) moved to the season start when handed over out of season. None when no
    date at all is known (the claim then waits for staff to establish one)."""
    if delivered_on is not None:
        start = WarrantyStart(delivered_on, StartBasis.DELIVERY)
    elif purchased_on is not None:
        start = WarrantyStart(purchased_on, StartBasis.PURCHASE)
    elif manufactured_on is not None:
        return WarrantyStart(manufactured_on, StartBasis.MANUFACTURE)  # the season cannot move a factory date
    else:
        return None
    if season_start is not None:
        month, day_of_month = season_start
        day = season_warranty_start(start.day, month=month, day_of_month=day_of_month, season_months=season_months)
        if day != start.day:
            return WarrantyStart(day, StartBasis.SEASON)
    return start


def warranty_last_day(start: date, *, months: int, delivered_on: date | None, legal_minimum_months: int) -> date:
    """WAR-2: the last day of the warranty — `months` (frozen on the order line) from its start, but never shorter
    than the legal minimum counted from delivery (seed 002, art. 32(1): "до две години от доставката"), where the
    shop's law sets one (0: none)."""
    last = add_months(start, months)
    if legal_minimum_months and delivered_on is not None:
        last = max(last, add_months(delivered_on, legal_minimum_months))
    return last


# --- WAR-2: may the claim be made -----------------------------------------------------------------------------------


class ClaimRefusal(StrEnum):
    WARRANTY_EXPIRED = "warranty_expired"  # claimed after the warranty's last day
    REPORTED_TOO_LATE = "reported_too_late"  # claimed more than the report period after the defect was found
    DEFECT_DATE_INVALID = "defect_date_invalid"  # found after the claim, or before the goods were handed over
    NO_START = "no_start"  # no date the warranty could run from


@dataclass(frozen=True)
class ClaimWindow:
    """Why a claim is refused (None: accepted) with the dates the customer is shown."""

    refusal: ClaimRefusal | None
    warranty_last_day: date | None
    report_last_day: date | None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def report_last_day(defect_found_on: date, *, report_months: int) -> date:
    """WAR-2: the last day to claim for a defect found on `defect_found_on` (seed 002, art. 32(1): "не по-късно от
    два месеца от установяване на несъответствието"): found 1 May, 2 months → 1 July."""
    return add_months(defect_found_on, report_months)


def claim_window(
    *,
    claimed_on: date,
    defect_found_on: date,
    handed_over_on: date | None,
    warranty_last_day: date | None,
    report_months: int,
) -> ClaimWindow:
    """WAR-2: a claim is accepted within the warranty (up to and including its last day) and no later than
    `report_months` after the defect was found. Delivered 5 March 2026 with 12 months: claimed 4 March 2027 →
    accepted, 6 March 2027 → refused; found 1 May, claimed 2 July → refused."""
    report_last = report_last_day(defect_found_on, report_months=report_months)
    if defect_found_on > claimed_on or (handed_over_on is not None and defect_found_on < handed_over_on):
        refusal = ClaimRefusal.DEFECT_DATE_INVALID
    elif warranty_last_day is None:
        refusal = ClaimRefusal.NO_START
    elif claimed_on > warranty_last_day:
        refusal = ClaimRefusal.WARRANTY_EXPIRED
    elif claimed_on > report_last:
        refusal = ClaimRefusal.REPORTED_TOO_LATE
    else:
        refusal = None
    return ClaimWindow(refusal=refusal, warranty_last_day=warranty_last_day, report_last_day=report_last)


# --- WAR-4: the remedies ------------------------------------------------------------------------------------------


class Remedy(StrEnum):
    """WAR-4 (seed 001 "Обслуживание по гарантии включает в себя"; seed 002, art. 31(1))."""

    REPAIR = "repair"  # at a certified service centre
    EXCHANGE_SAME = "exchange_same"  # for the same item, without surcharge
    EXCHANGE_SIMILAR = "exchange_similar"  # for a similar item, the difference settled
    REFUND = "refund"
    PRICE_REDUCTION = "price_reduction"


# --- WAR-5: the presumption -----------------------------------------------------------------------------------------


def defect_presumed(*, delivered_on: date | None, defect_found_on: date, presumption_months: int) -> bool:
    """WAR-5: a defect found within `presumption_months` of delivery is presumed to have existed at delivery
    (seed 002, art. 28): the burden of proof is on the shop. Delivered 5 March, 6 months: found 5 September → on,
    6 September → off. Without a delivery date there is no presumption."""
    if delivered_on is None:
        return False
    return delivered_on <= defect_found_on <= add_months(delivered_on, presumption_months)


# --- WAR-6: the one-month clock and the third repair ----------------------------------------------------------------


def resolution_deadline(claimed_on: date, *, months: int) -> date:
    """WAR-6: the last day to resolve a claim made on `claimed_on` (seed 002, art. 34(1): "в рамките на един месец,
    считано от предявяването на рекламацията"): claimed 31 January, 1 month → 28 February (29 in a leap year)."""
    return add_months(claimed_on, months)


def days_left(deadline: date, today: date) -> int:
    """Days until the deadline day (0 on the day itself, negative once it has passed)."""
    return (deadline - today).days


def is_overdue(deadline: date, today: date) -> bool:
    """WAR-6: past the deadline day (the deadline day itself is still in time)."""
    return today > deadline


def may_cancel_for_delay(*, deadline: date, today: date, resolved: bool) -> bool:
    """WAR-6: an unresolved claim past its deadline gives the customer the right to cancel the purchase and be
    refunded (seed 002, art. 34(2))."""
    return not resolved and is_overdue(deadline, today)


def refund_right_after_repairs(*, repairs_within_warranty: int, repairs_before_refund: int) -> bool:
    """WAR-6: after `repairs_before_refund` (3) repairs of the same item within the warranty, a new defect gives the
    right to a refund (seed 002, art. 35(3): "след като е удовлетворил три рекламации ... чрез извършване на ремонт
    на една и съща стока ... е налице следваща поява на несъответствие"): 2 repairs → no, 3 → yes."""
    if repairs_within_warranty < 0:
        raise ValueError("a repairs count cannot be negative")
    return repairs_within_warranty >= repairs_before_refund
