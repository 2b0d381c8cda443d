"""FIN-1: a big export of the refund report prepared by a worker — written to the private export directory with its
progress on the audit row (the page shows it), then a link mailed to the Finance member who asked."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from base.mail import queue_email

from ..models import RefundReportExport
from . import audit, exporters, storage
from .exporters import RowCounter
from .selectors import RefundFilter

PROGRESS_EVERY = 2000


def filter_from_json(data: dict) -> RefundFilter:
    def day(value):
        return date.fromisoformat(value) if value else None

    return RefundFilter(
        date_from=day(data.get("date_from")),
        date_to=day(data.get("date_to")),
        period=data.get("period") or "claimed",
        methods=tuple(data.get("methods") or ()),
        statuses=tuple(data.get("statuses") or ()),
        reasons=tuple(data.get("reasons") or ()),
        today=day(data.get("today")),
    )


def run_export(export_id: int) -> RefundReportExport | None:
    """Write the file of a background export still running (a second delivery of the task does nothing)."""
    record = RefundReportExport.objects.filter(pk=export_id, state=RefundReportExport.State.RUNNING).first()
    if record is None:
        return None
    spec = filter_from_json(record.filters)
    rows = RowCounter(spec, on_progress=lambda n: audit.progress(record, n), every=PROGRESS_EVERY)
    path = storage.path_of(record)
    try:
        if record.format == RefundReportExport.Format.CSV:
            with path.open("w", encoding="utf-8", newline="") as file:
                exporters.write_csv(file, rows)
        else:
            exporters.write_xlsx(str(path), rows)
    except Exception as error:
        path.unlink(missing_ok=True)
        audit.fail(record, rows=rows.count, error=repr(error))
        raise
    audit.finish(
        record, rows=rows.count, file_name=exporters.filename(spec, record.format), expires_at=storage.kept_until()
    )
    if record.user is not None and record.user.email:
        with translation.override(settings.LANGUAGE_CODE):
            link = settings.SHOP_BASE_URL + reverse("admin:returns_refundreport_file", args=[record.pk])
        queue_email(
            template="mail/returns/refund_export_ready",
            to=[record.user.email],
            context={
                "link": link,
                "rows": record.rows,
                "file_name": record.file_name,
                "days": settings.SHOP_REFUND_EXPORT_KEEP_DAYS,
            },
        )
    return record
