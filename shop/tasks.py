"""Celery tasks of the shop app: thin, idempotent wrappers around the legal-page services (LEG-2), and the one
place that puts them on the queue. Imports point one way: this module uses shop.legal, never the reverse."""

from celery import shared_task
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError as BrokerError

from . import legal
from .models import Page


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


def schedule_terms_notice(*, page: Page) -> bool:
    """After the surrounding transaction commits, notify customers if the saved terms call for it."""
    due = legal.terms_notice_due(
        slug=page.slug, is_published=page.is_published, version=page.version, notified_version=page.notified_version
    )
    if due:
        page_id = page.pk
        transaction.on_commit(lambda: notify_terms_change.delay(page_id))
    return due
