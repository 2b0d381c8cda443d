"""FIN-1 / REF-5: the refund report's filters and totals agree with a hand-computed fixture (tests/refund_factories.py
`december`: mixed methods, a partial refund, late ones, refunds on the edges of the shop's days)."""

from datetime import date
from decimal import Decimal

import pytest

from returns.report import selectors
from returns.report.selectors import RefundFilter
from tests import refund_factories as rf

pytestmark = pytest.mark.django_db

DECEMBER = {"date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31), "today": rf.TODAY}


@pytest.fixture
def refunds():
    return rf.december()


def numbers(queryset):
    return [refund.pk for refund in queryset]


def test_fin1_period_by_claim_is_the_shops_days(refunds):
    """30.11 23:30 in Almaty (18:30 UTC) is November, 01.01 00:10 (31.12 UTC) is January: both outside."""
    found = numbers(selectors.filtered_refunds(RefundFilter(**DECEMBER)))
    assert found == [refunds[k].pk for k in ("r1", "r2", "r3", "r5", "r4")]  # by claim moment


def test_fin1_period_by_refund_moment(refunds):
    found = numbers(selectors.filtered_refunds(RefundFilter(period=selectors.REFUNDED, **DECEMBER)))
    assert found == [refunds[k].pk for k in ("r6", "r1", "r2")]


def test_fin1_filters_by_method_reason_and_status(refunds):
    def pks(**kwargs):
        return set(numbers(selectors.filtered_refunds(RefundFilter(**DECEMBER, **kwargs))))

    assert pks(methods=("kaspi",)) == {refunds["r3"].pk}
    assert pks(methods=("cod", "kaspi")) == {refunds[k].pk for k in ("r3", "r4", "r5")}
    assert pks(reasons=("return",)) == {refunds[k].pk for k in ("r1", "r3")}
    assert pks(statuses=("done",)) == {refunds[k].pk for k in ("r1", "r2")}
    # REF-5 "overdue": past the deadline's day and not done — r2 was late but is done, r5 is due today
    assert pks(statuses=("overdue",)) == {refunds["r3"].pk}
    assert pks(statuses=("done", "overdue")) == {refunds[k].pk for k in ("r1", "r2", "r3")}
    assert pks(statuses=("failed",), methods=("cloudpayments",)) == set()


def test_fin1_totals_per_method_and_overall(refunds):
    """count, amount, of which delivery, of which late — computed by hand in the fixture's docstring."""
    result = selectors.totals(RefundFilter(**DECEMBER))
    got = {
        t.method: (t.count, t.amount, t.delivery, t.deductions, t.late_count, t.late_amount) for t in result.per_method
    }
    assert got == {
        "cloudpayments": (2, Decimal("16500.00"), Decimal("1500.00"), Decimal("0.00"), 1, Decimal("6500.00")),
        "cod": (2, Decimal("14000.00"), Decimal("2000.00"), Decimal("0.00"), 0, Decimal("0.00")),
        "kaspi": (1, Decimal("2500.00"), Decimal("0.00"), Decimal("500.00"), 1, Decimal("2500.00")),
    }
    overall = result.overall
    assert (overall.count, overall.amount, overall.delivery, overall.late_count, overall.late_amount) == (
        5,
        Decimal("33000.00"),
        Decimal("3500.00"),
        2,
        Decimal("9000.00"),
    )


def test_ref5_late_in_sql_agrees_with_the_models_overdue_days(refunds):
    """The SQL "late" (totals, chart) and Refund.overdue_days (the table's column) are the same rule."""
    spec = RefundFilter(**DECEMBER)
    late = set(selectors.filtered_refunds(spec).filter(selectors.late_q(rf.TODAY)).values_list("pk", flat=True))
    rows = list(selectors.report_rows(spec))
    assert late == {row.pk for row in rows if row.overdue_days(rf.TODAY) > 0} == {refunds["r2"].pk, refunds["r3"].pk}
    days = {row.pk: row.overdue_days(rf.TODAY) for row in rows}
    # the exports' reading of the same rule, on plain values (refunded_on: the shop-local day)
    from_values = {
        v["id"]: selectors.overdue_days(
            due_by=v["due_by"], status=v["status"], refunded_on=v["refunded_on"], today=rf.TODAY
        )
        for v in selectors.report_values(spec)
    }
    assert from_values == days
    assert days[refunds["r2"].pk] == 1  # refunded 08.12 02:00 Almaty: a day after the deadline's day
    assert days[refunds["r3"].pk] == 5


def test_fin1_totals_by_refund_moment(refunds):
    result = selectors.totals(RefundFilter(period=selectors.REFUNDED, **DECEMBER))
    assert {t.method: (t.count, t.amount) for t in result.per_method} == {
        "cloudpayments": (2, Decimal("16500.00")),
        "cod": (1, Decimal("3000.00")),
    }
    assert result.overall.count == 3


def test_fin1_empty_selection_has_zero_totals(refunds):
    result = selectors.totals(RefundFilter(**DECEMBER, methods=("epay",)))
    assert result.per_method == []
    assert (result.overall.count, result.overall.amount) == (0, Decimal("0"))


def test_fin1_chart_buckets_per_day_with_the_late_ones(refunds):
    spec = RefundFilter(**DECEMBER)
    unit, buckets = selectors.chart_buckets(spec, date(2026, 12, 1), date(2026, 12, 31))
    assert unit == selectors.DAY
    assert len(buckets) == 31
    by_day = {b.start: b for b in buckets if b.count}
    assert {day: (dict(b.amounts), b.late_count) for day, b in by_day.items()} == {
        date(2026, 12, 1): ({"cloudpayments": Decimal("10000.00")}, 0),
        date(2026, 12, 2): ({"cloudpayments": Decimal("6500.00")}, 1),
        date(2026, 12, 5): ({"kaspi": Decimal("2500.00")}, 1),
        date(2026, 12, 10): ({"cod": Decimal("4000.00")}, 0),
        date(2026, 12, 18): ({"cod": Decimal("10000.00")}, 0),
    }


def test_fin1_chart_per_week_for_a_long_period(refunds):
    spec = RefundFilter(date_from=date(2026, 10, 1), date_to=date(2027, 1, 31), today=rf.TODAY)
    unit, buckets = selectors.chart_buckets(spec, spec.date_from, spec.date_to)
    assert unit == selectors.WEEK
    assert all(b.start.weekday() == 0 for b in buckets)
    week = {b.start: b for b in buckets}
    # Monday 30.11: r6 (claimed Monday 30.11 local) and r1, r2, r3 (1, 2, 5 December)
    assert week[date(2026, 11, 30)].count == 4
    assert week[date(2026, 11, 30)].amount == Decimal("22000.00")
    assert week[date(2026, 12, 28)].count == 1  # r7, claimed Friday 01.01.2027 local
    assert sum(b.count for b in buckets) == 7
