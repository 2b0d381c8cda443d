"""Shared helpers of the loyalty tests (issue 14): members, orders moved along the flow at given moments, sweeps."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from loyalty import services
from loyalty.models import BonusAccount
from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderStatus
from tests import factories as f

ALMATY = ZoneInfo("Asia/Almaty")
_phones = iter(range(1000000, 9999999))


def day(n: int, hour: int = 12) -> datetime:
    """Day `n` of a test's story, at noon in the shop's zone (day 0: 1 March 2027)."""
    return datetime(2027, 3, 1, hour, tzinfo=ALMATY) + timedelta(days=n)


def member(django_user_model, *, email=None, at=None) -> BonusAccount:
    number = next(_phones)
    user = django_user_model.objects.create_user(email=email or f"member{number}@example.kz", password="pw-123456")
    return services.join(user=user, phone=f"+7701{number}", now=at or day(0))


def delivered_order(account, staff, *, items=(("10000.00", 1),), placed=0, delivered=3, paid=None, **overrides):
    """An order of the member placed on day `placed`, shipped and delivered on day `delivered`; cash on delivery
    paid at the door (`paid` None), or paid online... by staff on day `paid` before shipping."""
    setup = f.delivery_setup()
    with time_machine.travel(day(placed), tick=False):
        order = f.placed_order(setup, items=items, user=account.user, **overrides)
        fulfilment.confirm_order(order=order, actor=staff)
        fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
    with time_machine.travel(day(delivered), tick=False):
        fulfilment.mark_shipped(order=order, actor=staff, tracking_number="T-1")
        fulfilment.mark_paid(order=order, actor=staff, amount=order.total, reference="cash")
        fulfilment.set_status(order=order, target=OrderStatus.DELIVERED, actor=staff)
    order = Order.objects.get(pk=order.pk)
    services.schedule_accruals(order=order)  # what the receivers do after commit
    return order


def ensure_tiers() -> None:
    """The seeded tier table (a transactional test's flush empties it): seeded again from the data migration."""
    from django.apps import apps as django_apps

    from loyalty.models import Tier

    if not Tier.objects.exists():
        seed = importlib.import_module("loyalty.migrations.0002_loyalty_tiers").seed
        seed(django_apps, None)
        importlib.import_module("loyalty.migrations.0006_loyalty2_tier_names").fill_names(django_apps, None)


def clear_otp_limits() -> None:
    """The OTP rate-limit counters (per phone, per IP) live in the shared cache: cleared between tests."""
    from django.core.cache import cache

    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):  # Redis: only this test process's keys
        redis = client.get_client(write=True)
        for prefix in ("loyalty-otp-phone", "loyalty-otp-ip"):
            for key in redis.scan_iter(match=cache.make_key(f"{prefix}:*")):
                redis.delete(key)
    else:
        cache.clear()
