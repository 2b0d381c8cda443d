"""Celery tasks of the shop app: thin, idempotent wrappers around the legal-page services (LEG-2)."""

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

from . import legal


@shared_task(
    autoretry_for=(DatabaseError, BrokerError, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=8,
)
def notify_terms_change(page_id: int) -> int:
    """E-mail customers about a new version of the terms page `page_id`; nothing if already done."""
    return legal.notify_terms_change(page_id=page_id)


@shared_task
def send_due_terms_notices() -> int:
    """Periodic safety net: a terms notification that was due but never completed is sent now."""
    return legal.send_due_terms_notices()
