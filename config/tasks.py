"""Project-wide Celery sweeps: housekeeping that belongs to no app. Each is idempotent."""

import logging

from celery import shared_task
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions (and so guests' session carts) that have expired. Safe to run any number of times."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("cleared %d expired session(s)", deleted)
    return deleted


@shared_task
def heartbeat() -> str:
    """A timestamp in the cache: /healthz shows when the scheduler last ran a job."""
    stamp = timezone.now().isoformat()
    cache.set("jobs:heartbeat", stamp, timeout=None)
    return stamp
