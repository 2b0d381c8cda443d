"""Celery tasks of returns: thin, idempotent sweeps over the database (schedule in config/settings.py)."""

from celery import shared_task

from . import notifications, requests, services, sweeps


@shared_task
def record_missing_refunds_due() -> int:
    return services.record_missing_refunds_due()


@shared_task
def lapse_unsent_returns() -> int:
    """RET-5: requests whose goods were not sent in time lapse."""
    return requests.lapse_unsent_returns()


@shared_task
def retry_failed_refunds() -> int:
    """REF-5: refused provider calls are sent again (never twice: idempotency keys per attempt)."""
    return services.retry_failed_refunds()


@shared_task
def flag_late_and_send_digest() -> int:
    """RET-7, REF-5: late inspections and overdue refunds flagged once, in one daily mail to support."""
    return sweeps.flag_late_and_send_digest()


# Registered with the worker through this autodiscovered module: the confirmation mail with its PDF (RET-4).
send_return_confirmation = notifications.send_confirmation
