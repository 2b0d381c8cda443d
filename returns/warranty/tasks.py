"""Celery tasks of warranty claims: thin, idempotent sweeps."""

from celery import shared_task

from . import services


@shared_task
def flag_overdue_claims() -> int:
    """WAR-6/SUP-2: flag claims past the one-month clock and alert support once (daily)."""
    return len(services.flag_overdue_claims())
