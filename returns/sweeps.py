"""The daily digest of late returns and refunds (RET-7, REF-5): each late inspection and each overdue refund is
flagged once (its `*_alerted_at`), and everything flagged in one run goes to support in ONE mail — never one per
item. Flagging and queueing the mail commit together, so a killed run flags nothing it has not reported."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from base.mail import queue_email
from base.money import format_money
from base.workdays import shop_tz

from .models import Refund, ReturnRequest, ReturnState

BATCH = 1000
LISTED = 200  # a digest names this many items; the rest are counted (the admin's "overdue" filter lists them all)


def flag_late_and_send_digest(*, now=None) -> int:
    """Flag what became late since the last run and mail support one digest of it; returns how many were flagged
    (0: no mail). Idempotent: a second run finds nothing new."""
    now = now or timezone.now()
    today = timezone.localtime(now, shop_tz()).date()
    lines, count = [], 0
    with transaction.atomic():
        while True:
            late = list(
                ReturnRequest.objects.select_for_update(skip_locked=True)
                .filter(state=ReturnState.RECEIVED, inspect_by__lt=today, inspection_overdue_alerted_at__isnull=True)
                .order_by("pk")
                .values_list("pk", "number", "inspect_by")[:BATCH]
            )
            if not late:
                break
            ReturnRequest.objects.filter(pk__in=[pk for pk, *_ in late]).update(inspection_overdue_alerted_at=now)
            count += len(late)
            lines += [f"{number}: inspection due {due:%Y-%m-%d}" for _pk, number, due in late[: LISTED - len(lines)]]
        while True:
            overdue = list(
                Refund.objects.select_for_update(skip_locked=True)
                .filter(status__in=Refund.OPEN_STATUSES, due_by__lt=today, overdue_alerted_at__isnull=True)
                .order_by("pk")
                .values_list("pk", "amount", "due_by", "last_error")[:BATCH]
            )
            if not overdue:
                break
            Refund.objects.filter(pk__in=[row[0] for row in overdue]).update(overdue_alerted_at=now)
            count += len(overdue)
            lines += [
                f"RF-{pk:06d}: {format_money(amount)} due {due:%Y-%m-%d}{' — ' + error[:100] if error else ''}"
                for pk, amount, due, error in overdue[: max(LISTED - len(lines), 0)]
            ]
        if count and settings.SHOP_RETURNS_ALERT_EMAILS:
            queue_email(
                template="mail/returns/digest",
                to=list(settings.SHOP_RETURNS_ALERT_EMAILS),
                context={
                    "count": count,
                    "lines": lines,
                    "admin_url": f"{settings.SHOP_BASE_URL}{reverse('admin:returns_returnrequest_changelist')}"
                    "?overdue=yes",
                },
                language=settings.LANGUAGE_CODE,
            )
    return count
