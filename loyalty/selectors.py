"""Read queries of the loyalty programme, for the checkout, the cabinet, the admin and the sweeps."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce

from base.workdays import shop_tz
from orders.models import Order, OrderStatus

from . import policy
from .models import BonusAccount, BonusEntry, BonusLot, PendingAccrual, Tier

PURCHASE_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)


def tier_rules() -> list[policy.TierRule]:
    return [
        policy.TierRule(
            code=t.code,
            position=t.position,
            min_orders=t.min_orders,
            min_sum=t.min_sum,
            earn_percent=t.earn_percent,
            pay_percent=t.pay_percent,
        )
        for t in Tier.objects.order_by("position")
    ]


def lowest_tier() -> Tier:
    return Tier.objects.order_by("position").first()


def account_of(user) -> BonusAccount | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return BonusAccount.objects.select_related("tier", "next_tier").filter(user_id=user.pk).first()


def shop_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=shop_tz())


def purchases(user_id, *, as_of: datetime, window_days: int, delay_days: int) -> tuple[int, Decimal]:
    """LOY-3/LOY-4: (orders, sum) of the customer's purchases of the last `window_days` days as of `as_of`. A
    purchase counts from the moment its bonuses are due (delivered + `delay_days`), so the tier an accrual reaches is
    the one the nightly recount finds the next day. The sum is the money paid for goods (no delivery)."""
    end = as_of - timedelta(days=delay_days)
    start = end - timedelta(days=window_days)
    row = Order.objects.filter(
        user_id=user_id, status__in=PURCHASE_STATUSES, delivered_at__gt=start, delivered_at__lte=end
    ).aggregate(orders=Count("id"), total=Coalesce(Sum(F("goods_total") - F("discount_total")), Decimal(0)))
    return row["orders"], row["total"]


def purchases_of(user_ids, *, as_of: datetime, window_days: int, delay_days: int) -> dict:
    """`purchases` for many customers in one query: user id → (orders, sum); customers without any are absent."""
    end = as_of - timedelta(days=delay_days)
    start = end - timedelta(days=window_days)
    rows = (
        Order.objects.filter(
            user_id__in=list(user_ids), status__in=PURCHASE_STATUSES, delivered_at__gt=start, delivered_at__lte=end
        )
        .values("user_id")
        .annotate(orders=Count("id"), total=Sum(F("goods_total") - F("discount_total")))
    )
    return {row["user_id"]: (row["orders"], row["total"]) for row in rows}


def effective_tier(account: BonusAccount, today: date) -> Tier:
    """LOY-4: the reached tier once its day has come, else the current one."""
    if account.next_tier_id and account.next_tier_from and account.next_tier_from <= today:
        return account.next_tier
    return account.tier


def pending_of(account: BonusAccount):
    return (
        PendingAccrual.objects.filter(account=account, status=PendingAccrual.Status.WAITING)
        .select_related("order")
        .order_by("due_at", "id")
    )


def expiring_lots(account: BonusAccount, *, now: datetime, days: int):
    return BonusLot.objects.filter(
        account=account, remaining__gt=0, expires_at__isnull=False, expires_at__lte=now + timedelta(days=days)
    ).order_by("expires_at", "id")


def history(account: BonusAccount):
    return BonusEntry.objects.filter(account=account).select_related("order").order_by("-at", "-id")


def live_balance(account: BonusAccount, *, at: datetime) -> int:
    """What may be spent at `at`: the balance less lots expired but not yet swept (LOY-7)."""
    return (
        BonusLot.objects.filter(account=account, remaining__gt=0)
        .exclude(expires_at__lte=at)
        .aggregate(s=Coalesce(Sum("remaining"), 0))["s"]
    )


def ledger_sums(account: BonusAccount) -> tuple[int, int]:
    """(Σ log, Σ lots' remaining): both equal `account.balance` (the ledger's invariant)."""
    log = BonusEntry.objects.filter(account=account).aggregate(s=Coalesce(Sum("amount"), 0))["s"]
    lots = BonusLot.objects.filter(account=account).aggregate(s=Coalesce(Sum("remaining"), 0))["s"]
    return log, lots
