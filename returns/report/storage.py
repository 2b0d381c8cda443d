"""FIN-1: where big exports of the refund report wait to be downloaded — a private directory (never under MEDIA_ROOT,
which may be served to anyone), each file kept SHOP_REFUND_EXPORT_KEEP_DAYS and then swept away."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone

from ..models import RefundReportExport

SWEEP_BATCH = 200


def export_dir() -> Path:
    directory = Path(settings.SHOP_REFUND_EXPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def background_from() -> int:
    """Exports of at least this many rows are offered as a background job (the page still streams them too)."""
    return settings.SHOP_REFUND_EXPORT_BACKGROUND_FROM


def kept_until():
    return timezone.now() + timedelta(days=settings.SHOP_REFUND_EXPORT_KEEP_DAYS)


def temporary_file() -> IO[bytes]:
    return tempfile.TemporaryFile()  # the caller's response closes it


def path_of(record: RefundReportExport) -> Path:
    return export_dir() / f"refund-export-{record.pk}.{record.format}"


def open_kept(record: RefundReportExport) -> IO[bytes] | None:
    """The file of a finished background export while it is kept, else None."""
    if not record.file_name or record.expires_at is None or record.expires_at <= timezone.now():
        return None
    path = path_of(record)
    return path.open("rb") if path.is_file() else None


def sweep_expired(now=None) -> int:
    """Delete the files whose time is up (idempotent, in batches); their audit rows stay, without a file."""
    now = now or timezone.now()
    removed = 0
    while True:
        batch = list(
            RefundReportExport.objects.filter(expires_at__lte=now).exclude(file_name="").order_by("id")[:SWEEP_BATCH]
        )
        if not batch:
            return removed
        for record in batch:
            path_of(record).unlink(missing_ok=True)
            removed += 1
        RefundReportExport.objects.filter(pk__in=[r.pk for r in batch]).update(file_name="")
