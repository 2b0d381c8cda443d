"""Where the returns rules meet the shop's settings: reads the day counts, switches, calendar and time zone and calls
`returns.policy`. Services, views, mails and sweeps ask here; nothing else in returns reads these settings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from base.money import ZERO
from base.workdays import shop_calendar, shop_tz
from orders.payment_methods import get_adapter

from . import policy


def withdrawal_days() -> int:
    return settings.SHOP_WITHDRAWAL_DAYS


def withdrawal_deadline_for(order) -> datetime | None:
    """RET-1: the last moment the order may be withdrawn from (None while it is not delivered)."""
    if order.delivered_at is None:
        return None
    return policy.withdrawal_deadline(order.delivered_at, days=withdrawal_days(), tz=shop_tz())


def withdrawal_state_for(order, now: datetime | None = None) -> policy.Withdrawal:
    """RET-1: NOT_DELIVERED, OPEN or EXPIRED for this order now (or at `now`)."""
    return policy.withdrawal_state(order.delivered_at, now or timezone.now(), days=withdrawal_days(), tz=shop_tz())


def send_back_deadline_for(requested_at: datetime) -> date:
    """RET-5: the last day to send back the goods of a request made at `requested_at`."""
    return policy.send_back_deadline(requested_at, days=settings.SHOP_RETURN_SEND_BACK_DAYS, tz=shop_tz())


def inspection_deadline_for(received: datetime | date) -> date:
    """RET-7: the day the inspection of goods received at `received` must answer by (a moment is taken on the
    shop's local day)."""
    received_on = timezone.localtime(received, shop_tz()).date() if isinstance(received, datetime) else received
    return policy.inspection_deadline(
        received_on, working_days=settings.SHOP_RETURN_INSPECTION_WORKING_DAYS, calendar=shop_calendar()
    )


def refund_days_by_channel() -> dict[str, policy.DayCount]:
    """REF-5: the refund period of each channel, from settings."""
    return {
        policy.CARD: policy.DayCount(settings.SHOP_REFUND_CARD_WORKING_DAYS, working=True),
        policy.EWALLET: policy.DayCount(settings.SHOP_REFUND_EWALLET_DAYS, working=False),
        policy.CASH: policy.DayCount(settings.SHOP_REFUND_CASH_DAYS, working=False),
    }


def refund_channel_for(payment_method_code: str) -> str:
    """REF-5: the refund channel the order's payment method declares. A method no longer in SHOP_PAYMENT_ADAPTERS
    (an old order) counts as a card: the shortest period, so a refund is never flagged late for want of an adapter."""
    adapter = get_adapter(payment_method_code)
    return adapter.refund_channel if adapter is not None else policy.CARD


def refund_deadline_for(payment_method_code: str, claimed_at: datetime) -> date:
    """REF-5: the last day a refund claimed at `claimed_at` for an order paid with `payment_method_code` may reach
    the customer — the deadline follows the method through the adapter registry."""
    return policy.refund_deadline(
        claimed_at,
        channel=refund_channel_for(payment_method_code),
        days_by_channel=refund_days_by_channel(),
        calendar=shop_calendar(),
        tz=shop_tz(),
    )


def delivery_refund_for(
    *, delivery_paid: Decimal, defective: bool, full_withdrawal: bool, already_refunded: Decimal = ZERO
) -> Decimal:
    """REF-2 with this shop's switch SHOP_REFUND_DELIVERY_ON_FULL_WITHDRAWAL."""
    return policy.delivery_refund(
        delivery_paid=delivery_paid,
        defective=defective,
        full_withdrawal=full_withdrawal,
        refund_delivery_on_full_withdrawal=settings.SHOP_REFUND_DELIVERY_ON_FULL_WITHDRAWAL,
        already_refunded=already_refunded,
    )


def coupon_reactivates_for(
    order, *, whole_purchase_returned: bool, reason_is_defect: bool, requested_at: datetime
) -> bool:
    """CPN-3 for this order: its coupon comes back (False when it had none)."""
    if not order.coupon_id:
        return False
    return policy.coupon_reactivates(
        whole_purchase_returned=whole_purchase_returned,
        reason_is_defect=reason_is_defect,
        delivered_at=order.delivered_at,
        requested_at=requested_at,
        days=settings.SHOP_COUPON_REACTIVATION_DAYS,
        tz=shop_tz(),
    )
