"""FIN-1: the refund report as rows — one per refund, the same columns on the page, in CSV and in XLSX — and as a
one-page PDF summary for signing. Writing goes through the shared export (base.export: BOM, defused cells,
write-only XLSX); every export is audited (returns.report.audit). Rendering the PDF is kept at this edge, apart from
the selectors that decide what goes in it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from base import export
from base.workdays import shop_tz
from orders.admin import payment_label
from shop.selectors import seller_details

from ..models import Refund
from . import selectors
from .selectors import RefundFilter

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
CHUNK_SIZE = 2000  # rows per round trip of the server-side cursor (and per prefetch of their items)
PDF_OVERDUE_ROWS = 25  # the summary stays one page; the rest is counted and is in the CSV/XLSX


@dataclass(frozen=True)
class ReportRow:
    """One refund as the accountant reads it (moments in the shop's time zone)."""

    pk: int
    number: str
    order_id: int
    order_number: str
    customer: str
    email: str
    items: str
    amount: Decimal
    goods: Decimal
    delivery: Decimal
    deductions: Decimal
    method: str
    reason: str
    status: str
    claimed_at: datetime
    due_by: date | None
    refunded_at: datetime | None
    overdue_days: int
    provider_reference: str


class Labels:
    """The names of methods, reasons and statuses, looked up once per export rather than once per row."""

    def __init__(self):
        self.reasons = {code: str(label) for code, label in Refund.Reason.choices}
        self.statuses = {code: str(label) for code, label in Refund.Status.choices}
        self.methods: dict[str, str] = {}

    def method(self, code: str) -> str:
        if code not in self.methods:
            self.methods[code] = payment_label(code)
        return self.methods[code]


def report_row(values: dict, today: date, labels: Labels) -> ReportRow:
    """A row of `selectors.iterate_rows` / `with_items` as the accountant reads it."""
    tz = shop_tz()
    refunded_at = values["refunded_at"]
    return ReportRow(
        pk=values["id"],
        number=f"RF-{values['id']:06d}",
        order_id=values["order_id"],
        order_number=values["order__number"],
        customer=values["order__full_name"],
        email=values["order__email"],
        items="; ".join(f"{name} × {quantity}" for name, quantity in values["items"]),
        amount=values["amount"],
        goods=values["goods_amount"],
        delivery=values["delivery_amount"],
        deductions=values["deductions"],
        method=labels.method(values["payment_method"]),
        reason=labels.reasons.get(values["reason"], values["reason"]),
        status=labels.statuses.get(values["status"], values["status"]),
        claimed_at=values["created_at"].astimezone(tz),
        due_by=values["due_by"],
        refunded_at=refunded_at.astimezone(tz) if refunded_at else None,
        overdue_days=selectors.overdue_days(
            due_by=values["due_by"], status=values["status"], refunded_on=values["refunded_on"], today=today
        ),
        provider_reference=values["provider_reference"],
    )


# (header, value of a ReportRow, XLSX number format)
COLUMNS: tuple[tuple[Callable[[], str], Callable[[ReportRow], object], str | None], ...] = (
    (lambda: _("Refund"), lambda r: r.number, None),
    (lambda: _("Order"), lambda r: r.order_number, None),
    (lambda: _("Customer"), lambda r: r.customer, None),
    (lambda: _("E-mail"), lambda r: r.email, None),
    (lambda: _("Items"), lambda r: r.items, None),
    (lambda: _("Amount, KZT"), lambda r: r.amount, MONEY_FORMAT),
    (lambda: _("Of which delivery, KZT"), lambda r: r.delivery, MONEY_FORMAT),
    (lambda: _("Deductions, KZT"), lambda r: r.deductions, MONEY_FORMAT),
    (lambda: _("Payment method"), lambda r: r.method, None),
    (lambda: _("Reason"), lambda r: r.reason, None),
    (lambda: _("Claimed at"), lambda r: r.claimed_at, DATETIME_FORMAT),
    (lambda: _("Deadline"), lambda r: r.due_by, DATE_FORMAT),
    (lambda: _("Refunded at"), lambda r: r.refunded_at, DATETIME_FORMAT),
    (lambda: _("Overdue, days"), lambda r: r.overdue_days, None),
    (lambda: _("Provider reference"), lambda r: r.provider_reference, None),
    (lambda: _("Status"), lambda r: r.status, None),
)


def header() -> list[str]:
    return [str(title()) for title, _value, _fmt in COLUMNS]


class RowCounter:
    """Counts the rows an export has pulled, so the audit records what was really written."""

    def __init__(self, spec: RefundFilter, *, on_progress: Callable[[int], None] | None = None, every: int = 0):
        self.spec = spec
        self.count = 0
        self.on_progress = on_progress
        self.every = every or CHUNK_SIZE

    def __iter__(self) -> Iterator[list]:
        labels = Labels()
        getters = [value for _title, value, _fmt in COLUMNS]
        for values in selectors.iterate_rows(self.spec, chunk_size=CHUNK_SIZE):
            row = report_row(values, self.spec.today, labels)
            self.count += 1
            if self.on_progress and self.count % self.every == 0:
                self.on_progress(self.count)
            yield [get(row) for get in getters]


def totals_rows(spec: RefundFilter) -> list[list]:
    """The totals sheet: per method, then overall."""
    result = selectors.totals(spec)
    rows = [
        [payment_label(t.method), t.count, t.amount, t.delivery, t.deductions, t.late_count, t.late_amount]
        for t in result.per_method
    ]
    o = result.overall
    rows.append([_("Total"), o.count, o.amount, o.delivery, o.deductions, o.late_count, o.late_amount])
    return rows


def totals_header() -> list[str]:
    return [
        _("Payment method"),
        _("Refunds"),
        _("Amount, KZT"),
        _("Of which delivery, KZT"),
        _("Deductions, KZT"),
        _("Late refunds"),
        _("Late amount, KZT"),
    ]


TOTALS_FORMATS = (None, None, MONEY_FORMAT, MONEY_FORMAT, MONEY_FORMAT, None, MONEY_FORMAT)


def filename(spec: RefundFilter, extension: str) -> str:
    start = spec.date_from.strftime("%Y%m%d") if spec.date_from else "start"
    end = spec.date_to.strftime("%Y%m%d") if spec.date_to else "now"
    return f"refunds-{start}-{end}.{extension}"


def csv_lines(rows: RowCounter) -> Iterator[str]:
    return export.csv_lines(header(), rows)


def write_csv(file: IO[str], rows: RowCounter) -> int:
    return export.write_csv(file, header(), rows)


def write_xlsx(file: IO[bytes] | str, rows: RowCounter) -> int:
    return export.write_xlsx(
        file,
        header(),
        rows,
        sheet_title=_("Refunds"),
        column_formats=[fmt for _title, _value, fmt in COLUMNS],
        more_sheets=[(_("Totals"), totals_header(), totals_rows(rows.spec), TOTALS_FORMATS)],
    )


def describe(spec: RefundFilter) -> dict:
    """The filter in words, for the PDF and the page."""
    statuses = dict(Refund.Status.choices) | {selectors.OVERDUE: _("Overdue")}
    return {
        "period": _("claimed at") if spec.period == selectors.CLAIMED else _("refunded at"),
        "methods": ", ".join(payment_label(code) for code in spec.methods) or _("all"),
        "statuses": ", ".join(str(statuses.get(s, s)) for s in spec.statuses) or _("all"),
        "reasons": ", ".join(str(dict(Refund.Reason.choices).get(r, r)) for r in spec.reasons) or _("all"),
    }


def summary_context(spec: RefundFilter, *, prepared_by: str) -> dict:
    result = selectors.totals(spec)
    late = selectors.report_values(spec).filter(selectors.late_q(spec.today)).order_by("due_by", "id")
    labels = Labels()
    overdue = [report_row(values, spec.today, labels) for values in selectors.with_items(list(late[:PDF_OVERDUE_ROWS]))]
    late_total = result.overall.late_count
    return {
        "spec": spec,
        "filters": describe(spec),
        "per_method": [(payment_label(t.method), t) for t in result.per_method],
        "overall": result.overall,
        "overdue": overdue,
        "overdue_more": max(late_total - len(overdue), 0),
        "prepared_by": prepared_by,
        "generated_at": timezone.localtime(timezone.now(), shop_tz()),
        "seller": seller_details(translation.get_language() or "ru"),
    }


def render_pdf(spec: RefundFilter, *, prepared_by: str) -> tuple[bytes, int]:
    """The one-page summary (totals per method, the late refunds, signatures) as PDF bytes, and the refunds it
    covers. Another module (returns/documents.py) may take over the rendering; the context stays here."""
    context = summary_context(spec, prepared_by=prepared_by)
    html = render_to_string("returns/report/summary_pdf.html", context)
    return HTML(string=html).write_pdf(), context["overall"].count


def iter_bytes(lines: Iterable[str]) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8")
