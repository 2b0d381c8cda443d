"""The loyalty sweeps (LOY-4..7): idempotent, batched, safe to run twice or to be killed mid-way — each batch
commits on its own and every ledger change carries its idempotency key, so a rerun picks up where one stopped.
Run by Celery beat (`loyalty.tasks`) and, "as of" a given moment, by `manage.py loyalty_sweep`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum

from base.mail import queue_email

from . import policy, selectors, services
from .models import BonusAccount, BonusLot, PendingAccrual, Tier


def _batch(batch: int | None) -> int:
    return batch or settings.SHOP_LOYALTY_SWEEP_BATCH


def accrue_due(*, now: datetime, batch: int | None = None, max_batches: int | None = None) -> int:
    """LOY-6: accrue every pending accrual due by `now` (never one held by a return); returns the bonuses accrued."""
    rules, tiers = selectors.tier_rules(), {t.code: t for t in Tier.objects.all()}
    total, after, done = 0, 0, 0
    while max_batches is None or done < max_batches:
        ids = list(
            PendingAccrual.objects.filter(
                status=PendingAccrual.Status.WAITING, due_at__lte=now, held_by="", pk__gt=after
            )
            .order_by("pk")
            .values_list("pk", flat=True)[: _batch(batch)]
        )
        if not ids:
            break
        total += services.accrue_batch(ids, now=now, rules=rules, tiers=tiers)
        after, done = ids[-1], done + 1
    return total


def expire_lots(*, now: datetime, batch: int | None = None, max_batches: int | None = None) -> int:
    """LOY-7: what is left of lots expired by `now` leaves the balance; then the weekly reminder of what expires in
    the next days. Returns the bonuses expired."""
    total, after, done = 0, 0, 0
    while max_batches is None or done < max_batches:
        ids = list(
            BonusLot.objects.filter(remaining__gt=0, expires_at__lte=now, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[: _batch(batch)]
        )
        if not ids:
            break
        for lot_id in ids:
            total += services.expire_lot(lot_id, now=now)
        after, done = ids[-1], done + 1
    remind_expiring(now=now, batch=batch)
    return total


def remind_expiring(*, now: datetime, batch: int | None = None) -> int:
    """One mail per customer per week at most about bonuses expiring within the next days."""
    days = settings.SHOP_LOYALTY_EXPIRY_MAIL_DAYS
    soon = now + timedelta(days=days)
    sent, after = 0, 0
    while True:
        accounts = list(
            BonusAccount.objects.filter(
                Q(expiry_mail_sent_at__isnull=True) | Q(expiry_mail_sent_at__lte=now - timedelta(days=days)),
                pk__gt=after,
                user__isnull=False,  # a closed account (customer deleted, ACC-3) gets no mail
                lots__remaining__gt=0,
                lots__expires_at__gt=now,
                lots__expires_at__lte=soon,
            )
            .annotate(expiring=Sum("lots__remaining"))
            .select_related("user")
            .order_by("pk")[: _batch(batch)]
        )
        if not accounts:
            return sent
        with transaction.atomic():
            for account in accounts:
                if not policy.expiry_mail_due(last_sent=account.expiry_mail_sent_at, now=now, every_days=days):
                    continue
                queue_email(
                    template="mail/loyalty/expiring",
                    to=account.user.email,
                    language=account.user.preferred_language,  # the customer's, not the sweep's
                    context={
                        "shop_url": settings.SHOP_BASE_URL,
                        "amount": account.expiring,
                        "until": services.local_date(soon).isoformat(),
                    },
                )
                BonusAccount.objects.filter(pk=account.pk).update(expiry_mail_sent_at=now)
                sent += 1
        after = accounts[-1].pk


def recompute_tiers(*, today: date, batch: int | None = None) -> int:
    """LOY-3/LOY-4, nightly: every account's tier from the last 365 days' purchases; returns how many changed."""
    rules, tiers = selectors.tier_rules(), {t.code: t for t in Tier.objects.all()}
    changed, after = 0, 0
    while True:
        ids = list(
            BonusAccount.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[: _batch(batch)]
        )
        if not ids:
            return changed
        for account_id in ids:
            changed += bool(services.recompute_tier(account_id, today=today, rules=rules, tiers=tiers))
        after = ids[-1]
