"""Celery tasks of returns: thin, idempotent sweeps over the database."""

from celery import shared_task

from . import services


@shared_task
def record_missing_refunds_due() -> int:
    return services.record_missing_refunds_due()
