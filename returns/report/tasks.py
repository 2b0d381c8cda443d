"""Celery tasks of the refund report: thin and idempotent."""

from celery import shared_task

from . import background, storage


@shared_task(acks_late=True)
def export_in_background(export_id: int) -> int:
    record = background.run_export(export_id)
    return record.rows if record else 0


@shared_task
def sweep_expired_refund_exports() -> int:
    return storage.sweep_expired()
