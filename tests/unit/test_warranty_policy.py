"""Warranty rules (returns/warranty/policy.py), without a database: when the warranty starts (WAR-1), its end with
the legal minimum and the claim windows (WAR-2), the presumption (WAR-5), the one-month clock and the third-repair
rule (WAR-6)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns.warranty import policy
from returns.warranty.policy import ClaimRefusal, StartBasis


def test_add_months_keeps_the_day_or_clamps_to_the_month_end():
    assert policy.add_months(date(2026, 3, 5), 12) == date(2027, 3, 5)
    assert policy.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert policy.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert policy.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    with pytest.raises(ValueError):
        policy.add_months(date(2026, 1, 1), -1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 60))
def test_add_months_never_goes_back_and_lands_in_the_right_month(day, months):
    moved = policy.add_months(day, months)
    assert moved >= day
    assert (moved.year - day.year) * 12 + moved.month - day.month == months


# --- WAR-1 ----------------------------------------------------------------------------------------------------------


def test_war1_online_order_starts_at_delivery():
    start = policy.warranty_start(delivered_on=date(2026, 3, 5), purchased_on=date(2026, 3, 1))
    assert start == policy.WarrantyStart(date(2026, 3, 5), StartBasis.DELIVERY)


def test_war1_without_delivery_day_starts_at_hand_over():
    start = policy.warranty_start(delivered_on=None, purchased_on=date(2026, 3, 1), manufactured_on=date(2025, 1, 1))
    assert start == policy.WarrantyStart(date(2026, 3, 1), StartBasis.PURCHASE)


def test_war1_unknown_purchase_date_starts_at_manufacture():
    start = policy.warranty_start(delivered_on=None, purchased_on=None, manufactured_on=date(2025, 11, 20))
    assert start == policy.WarrantyStart(date(2025, 11, 20), StartBasis.MANUFACTURE)


def test_war1_no_date_at_all_has_no_start():
    assert policy.warranty_start(delivered_on=None) is None


def test_war1_seasonal_bought_out_of_season_starts_at_the_next_season_start():
    # winter boots, season from 1 November for 5 months: delivered in July → warranty from 1 November
    start = policy.warranty_start(delivered_on=date(2026, 7, 10), season_start=(11, 1), season_months=5)
    assert start == policy.WarrantyStart(date(2026, 11, 1), StartBasis.SEASON)


def test_war1_seasonal_bought_in_season_starts_at_delivery():
    start = policy.warranty_start(delivered_on=date(2027, 1, 15), season_start=(11, 1), season_months=5)
    assert start == policy.WarrantyStart(date(2027, 1, 15), StartBasis.DELIVERY)
    # the last day of the season (31 March) is still in it; 1 April is out → next 1 November
    assert policy.warranty_start(delivered_on=date(2027, 3, 31), season_start=(11, 1), season_months=5).day == date(
        2027, 3, 31
    )
    assert policy.warranty_start(delivered_on=date(2027, 4, 1), season_start=(11, 1), season_months=5).day == date(
        2027, 11, 1
    )


def test_war1_seasonal_on_the_season_start_day_and_29_february():
    assert policy.warranty_start(delivered_on=date(2026, 11, 1), season_start=(11, 1)).basis is StartBasis.DELIVERY
    assert policy.season_start_on_or_before(date(2027, 3, 1), month=2, day_of_month=29) == date(2027, 2, 28)


# --- WAR-2 ----------------------------------------------------------------------------------------------------------

DELIVERED = date(2026, 3, 5)


def _window(claimed_on, found_on, *, months=12, legal=0, report=2):
    last = policy.warranty_last_day(DELIVERED, months=months, delivered_on=DELIVERED, legal_minimum_months=legal)
    return policy.claim_window(
        claimed_on=claimed_on,
        defect_found_on=found_on,
        handed_over_on=DELIVERED,
        warranty_last_day=last,
        report_months=report,
    )


def test_war2_within_warranty_edges():
    """Delivered 5 Mar 2026 with 12 months: a claim on 4 Mar 2027 accepted, on 6 Mar 2027 refused."""
    assert _window(date(2027, 3, 4), date(2027, 3, 1)).accepted
    assert _window(date(2027, 3, 5), date(2027, 3, 1)).accepted  # the last day is included
    refused = _window(date(2027, 3, 6), date(2027, 3, 1))
    assert refused.refusal is ClaimRefusal.WARRANTY_EXPIRED
    assert refused.warranty_last_day == date(2027, 3, 5)


def test_war2_two_months_after_the_defect_was_found():
    """A defect found 1 May claimed 2 Jul → refused; claimed 1 Jul → accepted."""
    assert _window(date(2026, 7, 1), date(2026, 5, 1)).accepted
    late = _window(date(2026, 7, 2), date(2026, 5, 1))
    assert late.refusal is ClaimRefusal.REPORTED_TOO_LATE
    assert late.report_last_day == date(2026, 7, 1)


def test_war2_legal_minimum_from_delivery_extends_a_short_warranty():
    assert _window(date(2027, 6, 1), date(2027, 5, 20), legal=24).accepted
    assert _window(date(2028, 3, 5), date(2028, 3, 1), legal=24).accepted
    assert _window(date(2028, 3, 6), date(2028, 3, 1), legal=24).refusal is ClaimRefusal.WARRANTY_EXPIRED
    # a longer commercial warranty is not shortened by the legal minimum
    assert policy.warranty_last_day(DELIVERED, months=36, delivered_on=DELIVERED, legal_minimum_months=24) == date(
        2029, 3, 5
    )


def test_war2_zero_month_line_has_only_the_legal_minimum():
    assert policy.warranty_last_day(DELIVERED, months=0, delivered_on=DELIVERED, legal_minimum_months=0) == DELIVERED
    assert _window(date(2026, 4, 1), date(2026, 3, 20), months=0).refusal is ClaimRefusal.WARRANTY_EXPIRED


def test_war2_defect_date_after_the_claim_or_before_delivery_is_invalid():
    assert _window(date(2026, 6, 1), date(2026, 6, 2)).refusal is ClaimRefusal.DEFECT_DATE_INVALID
    assert _window(date(2026, 6, 1), date(2026, 3, 4)).refusal is ClaimRefusal.DEFECT_DATE_INVALID


def test_war2_no_start_refuses_with_its_own_reason():
    window = policy.claim_window(
        claimed_on=date(2026, 6, 1),
        defect_found_on=date(2026, 5, 1),
        handed_over_on=None,
        warranty_last_day=None,
        report_months=2,
    )
    assert window.refusal is ClaimRefusal.NO_START


# --- WAR-5 ----------------------------------------------------------------------------------------------------------


def test_war5_presumption_on_and_off_at_six_months():
    assert policy.defect_presumed(delivered_on=DELIVERED, defect_found_on=date(2026, 9, 5), presumption_months=6)
    assert not policy.defect_presumed(delivered_on=DELIVERED, defect_found_on=date(2026, 9, 6), presumption_months=6)
    assert policy.defect_presumed(delivered_on=DELIVERED, defect_found_on=DELIVERED, presumption_months=6)
    assert not policy.defect_presumed(delivered_on=None, defect_found_on=date(2026, 4, 1), presumption_months=6)


# --- WAR-6 ----------------------------------------------------------------------------------------------------------


def test_war6_resolution_deadline_is_one_month_from_the_claim():
    assert policy.resolution_deadline(date(2026, 4, 10), months=1) == date(2026, 5, 10)
    assert policy.resolution_deadline(date(2026, 1, 31), months=1) == date(2026, 2, 28)


def test_war6_overdue_and_the_right_to_cancel_start_the_day_after_the_deadline():
    deadline = date(2026, 5, 10)
    assert policy.days_left(deadline, date(2026, 5, 8)) == 2
    assert policy.days_left(deadline, date(2026, 5, 10)) == 0
    assert not policy.is_overdue(deadline, date(2026, 5, 10))
    assert policy.is_overdue(deadline, date(2026, 5, 11))
    assert not policy.may_cancel_for_delay(deadline=deadline, today=date(2026, 5, 10), resolved=False)
    assert policy.may_cancel_for_delay(deadline=deadline, today=date(2026, 5, 11), resolved=False)
    assert not policy.may_cancel_for_delay(deadline=deadline, today=date(2026, 5, 11), resolved=True)


def test_war6_third_repair_rule():
    """After 3 repairs of the same item within the warranty a new defect gives the right to a refund."""
    assert not policy.refund_right_after_repairs(repairs_within_warranty=0, repairs_before_refund=3)
    assert not policy.refund_right_after_repairs(repairs_within_warranty=2, repairs_before_refund=3)
    assert policy.refund_right_after_repairs(repairs_within_warranty=3, repairs_before_refund=3)
    assert policy.refund_right_after_repairs(repairs_within_warranty=4, repairs_before_refund=3)
    with pytest.raises(ValueError):
        policy.refund_right_after_repairs(repairs_within_warranty=-1, repairs_before_refund=3)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 3))
def test_war6_deadline_is_in_the_next_month_and_overdue_only_after(claimed, months):
    deadline = policy.resolution_deadline(claimed, months=months)
    assert not policy.is_overdue(deadline, deadline)
    assert policy.is_overdue(deadline, deadline + timedelta(days=1))
    assert 28 * months <= (deadline - claimed).days <= 31 * months
