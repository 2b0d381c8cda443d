"""FIN-1: what the refund report reads — the filtered refunds, their totals per method and overall, the chart's
buckets. One filter (`RefundFilter`) drives the page, every export and the command, so an export holds exactly
what the page shows. Days are the shop's days (base.workdays.shop_tz), a period is inclusive at both ends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from base.money import ZERO
from base.workdays import shop_tz

from ..models import Refund, RefundLine

CLAIMED, REFUNDED = "claimed", "refunded"
PERIOD_FIELDS = {CLAIMED: "created_at", REFUNDED: "refunded_at"}
OVERDUE = "overdue"  # a status of the report only: past its REF-5 deadline and still not done
STATUSES = (*Refund.Status.values, OVERDUE)
DAY, WEEK, MONTH = "day", "week", "month"
DAILY_UP_TO_DAYS = 62  # longer periods are drawn per week (a bar a day would be too thin to read)
WEEKLY_UP_TO_DAYS = 731  # and beyond two years per month


@dataclass(frozen=True)
class RefundFilter:
    """What the accountant asked for. Empty tuples mean "any"; `today` (shop-local) decides what is overdue."""

    date_from: date | None = None
    date_to: date | None = None
    period: str = CLAIMED
    methods: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    today: date = field(default_factory=lambda: timezone.localdate(timezone=shop_tz()))

    def as_json(self) -> dict:
        """The filter as the audit log keeps it (JSON: dates as ISO strings)."""
        data = asdict(self)
        for key in ("date_from", "date_to", "today"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in ("methods", "statuses", "reasons"):
            data[key] = list(data[key])
        return data

    @property
    def period_field(self) -> str:
        return PERIOD_FIELDS[self.period]


def local_day_start(day: date) -> datetime:
    """The first moment of `day` in the shop's time zone."""
    return datetime.combine(day, time.min, tzinfo=shop_tz())


def late_q(today: date) -> Q:
    """Refunds late by REF-5 on `today` — the SQL twin of `Refund.overdue_days(today) > 0`: settled (done, with a
    refunded_at) after the deadline's day, or not settled and the deadline's day is over."""
    settled = Q(status=Refund.Status.DONE, refunded_at__isnull=False)
    return Q(due_by__isnull=False) & ((settled & Q(refunded_on__gt=F("due_by"))) | (~settled & Q(due_by__lt=today)))


def overdue_q(today: date) -> Q:
    """The "overdue" status: past the deadline's day and still not done."""
    return Q(due_by__lt=today) & ~Q(status=Refund.Status.DONE)


def filtered_refunds(spec: RefundFilter) -> QuerySet[Refund]:
    """The refunds `spec` selects, annotated with `refunded_on` (the shop-local day of refunded_at) and `is_late`.
    No rows are fetched here; ordering is chronological by the period's date."""
    queryset = Refund.objects.annotate(refunded_on=TruncDate("refunded_at", tzinfo=shop_tz()))
    if spec.date_from:
        queryset = queryset.filter(**{f"{spec.period_field}__gte": local_day_start(spec.date_from)})
    if spec.date_to:
        queryset = queryset.filter(**{f"{spec.period_field}__lt": local_day_start(spec.date_to + timedelta(days=1))})
    if spec.methods:
        queryset = queryset.filter(payment_method__in=spec.methods)
    if spec.reasons:
        queryset = queryset.filter(reason__in=spec.reasons)
    if spec.statuses:
        wanted = Q(status__in=[s for s in spec.statuses if s != OVERDUE])
        if OVERDUE in spec.statuses:
            wanted |= overdue_q(spec.today)
        queryset = queryset.filter(wanted)
    return queryset.order_by(spec.period_field, "id")


REPORT_FIELDS = (
    "id",
    "reason",
    "status",
    "amount",
    "goods_amount",
    "delivery_amount",
    "deductions",
    "payment_method",
    "created_at",
    "due_by",
    "refunded_at",
    "refunded_on",
    "provider_reference",
    "order_id",
    "order__number",
    "order__full_name",
    "order__email",
)


def report_values(spec: RefundFilter) -> QuerySet:
    """The refunds for a table or an export as plain dicts (the customer joined from the order): no model instances,
    so 100 000 rows stream fast. Add their items with `with_items`."""
    return filtered_refunds(spec).values(*REPORT_FIELDS)


def with_items(rows: list[dict]) -> list[dict]:
    """`rows` with "items": [(product name, quantity), ...] each, read in one query for the whole batch."""
    items: dict[int, list] = {row["id"]: [] for row in rows}
    if items:
        lines = (
            RefundLine.objects.filter(refund_id__in=list(items))
            .order_by("refund_id", "id")
            .values_list("refund_id", "order_line__product_name", "quantity")
        )
        for refund_id, name, quantity in lines:
            items[refund_id].append((name, quantity))
    for row in rows:
        row["items"] = items[row["id"]]
    return rows


def overdue_days(*, due_by: date | None, status: str, refunded_on: date | None, today: date) -> int:
    """`Refund.overdue_days` on the values of a report row (refunded_on: the shop-local day of refunded_at)."""
    if due_by is None:
        return 0
    settled = status == Refund.Status.DONE and refunded_on is not None
    return max(((refunded_on if settled else today) - due_by).days, 0)


def report_rows(spec: RefundFilter) -> QuerySet[Refund]:
    """The refunds as model instances with the order and the items' order lines (for a few rows: the PDF's list)."""
    return filtered_refunds(spec).select_related("order").prefetch_related("lines__order_line")


@dataclass
class MethodTotals:
    """Totals of one payment method (or overall, method ""): count, amount, of which delivery, of which late."""

    method: str
    count: int = 0
    amount: Decimal = ZERO
    delivery: Decimal = ZERO
    deductions: Decimal = ZERO
    late_count: int = 0
    late_amount: Decimal = ZERO

    def add(self, other: MethodTotals) -> None:
        self.count += other.count
        self.amount += other.amount
        self.delivery += other.delivery
        self.deductions += other.deductions
        self.late_count += other.late_count
        self.late_amount += other.late_amount


@dataclass
class ReportTotals:
    per_method: list[MethodTotals]
    overall: MethodTotals


def _money_sum(expression, **extra):
    return Coalesce(Sum(expression, **extra), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))


def totals(spec: RefundFilter) -> ReportTotals:
    """Totals per payment method (by method code) and overall, in one query."""
    late = late_q(spec.today)
    rows = (
        filtered_refunds(spec)
        .order_by()
        .values("payment_method")
        .annotate(
            n=Count("id"),
            total=_money_sum("amount"),
            delivery=_money_sum("delivery_amount"),
            deducted=_money_sum("deductions"),
            late_n=Count("id", filter=late),
            late_total=_money_sum("amount", filter=late),
        )
        .order_by("payment_method")
    )
    per_method = [
        MethodTotals(
            method=row["payment_method"],
            count=row["n"],
            amount=row["total"],
            delivery=row["delivery"],
            deductions=row["deducted"],
            late_count=row["late_n"],
            late_amount=row["late_total"],
        )
        for row in rows
    ]
    overall = MethodTotals(method="")
    for item in per_method:
        overall.add(item)
    return ReportTotals(per_method=per_method, overall=overall)


def chart_unit(date_from: date, date_to: date) -> str:
    """Day bars up to two months, week bars up to two years, month bars beyond."""
    days = (date_to - date_from).days + 1
    if days <= DAILY_UP_TO_DAYS:
        return DAY
    return WEEK if days <= WEEKLY_UP_TO_DAYS else MONTH


def bucket_start(day: date, unit: str) -> date:
    if unit == WEEK:
        return day - timedelta(days=day.weekday())
    if unit == MONTH:
        return day.replace(day=1)
    return day


def next_bucket(day: date, unit: str) -> date:
    if unit == WEEK:
        return day + timedelta(days=7)
    if unit == MONTH:
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


@dataclass
class ChartBucket:
    start: date
    amounts: dict[str, Decimal]  # per method code
    counts: dict[str, int]
    late_count: int = 0
    late_amount: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    @property
    def count(self) -> int:
        return sum(self.counts.values())


def chart_buckets(spec: RefundFilter, date_from: date, date_to: date) -> tuple[str, list[ChartBucket]]:
    """Refunds per day (week, month) of the period's date and method, late ones counted apart, in one query;
    every bucket of the period is present, empty ones included, so the time axis is even."""
    unit = chart_unit(date_from, date_to)
    trunc = {DAY: TruncDate, WEEK: TruncWeek, MONTH: TruncMonth}[unit]
    late = late_q(spec.today)
    rows = (
        filtered_refunds(spec)
        .order_by()
        .annotate(bucket=trunc(spec.period_field, tzinfo=shop_tz()))
        .values("bucket", "payment_method")
        .annotate(
            n=Count("id"),
            total=_money_sum("amount"),
            late_n=Count("id", filter=late),
            late_total=_money_sum("amount", filter=late),
        )
    )
    buckets: dict[date, ChartBucket] = {}
    day = bucket_start(date_from, unit)
    while day <= date_to:
        buckets[day] = ChartBucket(start=day, amounts={}, counts={})
        day = next_bucket(day, unit)
    for row in rows:
        key = row["bucket"].date() if isinstance(row["bucket"], datetime) else row["bucket"]
        bucket = buckets.get(key)
        if bucket is None:  # the filter's dates and the truncation agree; this is only belt and braces
            continue
        bucket.amounts[row["payment_method"]] = row["total"]
        bucket.counts[row["payment_method"]] = row["n"]
        bucket.late_count += row["late_n"]
        bucket.late_amount += row["late_total"]
    return unit, list(buckets.values())


def iterate_rows(spec: RefundFilter, chunk_size: int = 2000) -> Iterator[dict]:
    """Every row of the report with its items, read in chunks over a server-side cursor (flat memory for 100 000
    rows): one query for the items of each chunk."""
    batch: list[dict] = []
    for row in report_values(spec).iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) == chunk_size:
            yield from with_items(batch)
            batch = []
    if batch:
        yield from with_items(batch)
