"""Celery beat tasks of the loyalty programme: thin wrappers around `loyalty.sweeps` (idempotent, batched)."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services, sweeps

logger = logging.getLogger(__name__)


@shared_task
def accrue_due() -> int:
    accrued = sweeps.accrue_due(now=timezone.now())
    logger.info("loyalty: %d bonuses accrued", accrued)
    return accrued


@shared_task
def expire_lots() -> int:
    expired = sweeps.expire_lots(now=timezone.now())
    logger.info("loyalty: %d bonuses expired", expired)
    return expired


@shared_task
def recompute_tiers() -> int:
    changed = sweeps.recompute_tiers(today=services.local_date(timezone.now()))
    logger.info("loyalty: %d tiers changed", changed)
    return changed
