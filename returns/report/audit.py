"""FIN-1 / STAFF-1: the export audit — every export of the refund report leaves a row saying who asked, when, with
which filters and how many refunds went out (RefundReportExport)."""

from __future__ import annotations

from django.utils import timezone

from ..models import RefundReportExport
from .selectors import RefundFilter


def start(
    *, user, channel: str, fmt: str, spec: RefundFilter, total_rows: int, requested_by: str = ""
) -> RefundReportExport:
    """Record an export as it starts (so one that dies half-way is still on the record)."""
    return RefundReportExport.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        requested_by=requested_by or (user.get_username() if user is not None else ""),
        channel=channel,
        format=fmt,
        filters=spec.as_json(),
        total_rows=total_rows,
    )


def progress(record: RefundReportExport, rows: int) -> None:
    RefundReportExport.objects.filter(pk=record.pk).update(rows=rows)
    record.rows = rows


def finish(record: RefundReportExport, *, rows: int, file_name: str = "", expires_at=None) -> None:
    record.rows = rows
    record.state = RefundReportExport.State.DONE
    record.finished_at = timezone.now()
    record.file_name = file_name
    record.expires_at = expires_at
    record.save(update_fields=["rows", "state", "finished_at", "file_name", "expires_at"])


def fail(record: RefundReportExport, *, rows: int, error: str) -> None:
    record.rows = rows
    record.state = RefundReportExport.State.FAILED
    record.finished_at = timezone.now()
    record.error = error[:2000]
    record.save(update_fields=["rows", "state", "finished_at", "error"])
