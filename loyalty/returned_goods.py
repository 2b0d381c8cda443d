"""What the loyalty programme does when goods come back (LOY-9, REF-3): the one door returns uses into loyalty.

Returns sits above loyalty (`returns > loyalty`), so returns calls these functions directly; loyalty never imports
returns. Every call is idempotent by `key` (returns passes e.g. ``"return:42"``): a sweep or a double click that
calls twice changes nothing the second time and gets the same answer.

- `return_requested`: lines (order line id → quantity) are being returned — their pending accrual is held
  (LOY-6: never accrue for lines returned or being returned).
- `return_withdrawn`: that request was cancelled by the customer, lapsed (RET-5) or rejected — held accruals go on.
- `goods_returned`: the return was accepted — a pending accrual of those quantities is cancelled, an accrued one is
  clawed back (LOY-9); what the balance cannot cover is the shortfall the refund deducts (REF-3); bonuses spent on
  those quantities come back as bonuses (never as money) within 24 hours.

The ledger behind them is `loyalty.services`; a `ReturnHold` row per key remembers what was held and settled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from orders.models import Order

from . import locks, policy
from .models import BonusAccount, EntryKind, PendingAccrual, ReturnHold, SpentBonus
from .services import _debit, _give_back

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReturnedBonuses:
    """The loyalty side of one accepted return, for the refund's breakdown."""

    clawback_shortfall: Decimal = ZERO  # tenge the money refund must deduct: accrued bonuses the balance lacks
    bonuses_back: int = 0  # bonuses spent on the returned quantities that come back as bonuses


def _share(amount: int, *, quantity: int, of: int) -> int:
    """Whole bonuses of `quantity` units out of `of` (all of them when every unit goes)."""
    if quantity >= of:
        return amount
    return int(policy.part_of(amount, quantity=quantity, of=of).to_integral_value(rounding=ROUND_HALF_UP))


@transaction.atomic
def return_requested(*, key: str, order_id: int, quantities: Mapping[int, int], at: datetime) -> None:
    """Hold the pending accrual of `quantities` (order line id → units) of order `order_id`."""
    hold, _created = ReturnHold.objects.get_or_create(key=key, defaults={"order_id": order_id, "created_at": at})
    if hold.released or hold.settled_back is not None:
        return
    PendingAccrual.objects.filter(
        order_id=order_id, order_line_id__in=list(quantities), status=PendingAccrual.Status.WAITING, held_by=""
    ).update(held_by=key)


@transaction.atomic
def return_withdrawn(*, key: str) -> None:
    """Release what `return_requested(key=key, ...)` held."""
    hold = ReturnHold.objects.select_for_update().filter(key=key).first()
    if hold is None or hold.released or hold.settled_back is not None:
        return
    PendingAccrual.objects.filter(held_by=key).update(held_by="")
    hold.released = True
    hold.save(update_fields=["released"])


@transaction.atomic
def goods_returned(*, key: str, order_id: int, quantities: Mapping[int, int], at: datetime) -> ReturnedBonuses:
    """Settle the bonuses of returned `quantities`; returns what the refund shows and deducts."""
    hold, _created = ReturnHold.objects.get_or_create(key=key, defaults={"order_id": order_id, "created_at": at})
    hold = ReturnHold.objects.select_for_update().get(pk=hold.pk)
    if hold.settled_back is not None:
        return ReturnedBonuses(clawback_shortfall=hold.settled_shortfall, bonuses_back=hold.settled_back)
    order = Order.objects.get(pk=order_id)
    account_row = BonusAccount.objects.filter(user_id=order.user_id).values("pk").first() if order.user_id else None
    shortfall, back = 0, 0
    if account_row is not None:
        account = locks.account_for_update(account_row["pk"])
        owed = 0
        pending_rows = PendingAccrual.objects.select_for_update().filter(
            order_id=order_id, order_line_id__in=list(quantities)
        )
        for pending in pending_rows.order_by("pk"):
            kept = pending.quantity - pending.returned_quantity
            units = min(int(quantities[pending.order_line_id]), kept)
            if units <= 0:
                continue
            fields = {"returned_quantity": pending.returned_quantity + units}
            if pending.held_by == key:
                fields["held_by"] = ""
            if pending.status == PendingAccrual.Status.WAITING and units == kept:
                fields["status"] = PendingAccrual.Status.CANCELLED
            elif pending.status == PendingAccrual.Status.ACCRUED:
                share = _share(pending.accrued - pending.clawed_back, quantity=units, of=kept)
                fields["clawed_back"] = pending.clawed_back + share
                owed += share
            PendingAccrual.objects.filter(pk=pending.pk).update(**fields)
        taken, shortfall = policy.clawback(owed=owed, balance=account.balance)
        _debit(account, kind=EntryKind.CLAWBACK, amount=taken, key=f"clawback:{key}", at=at, order=order)
        # REF-3: bonuses spent on the returned units come back as bonuses, into the lots they came from.
        spent = list(
            SpentBonus.objects.select_for_update()
            .filter(order_line_id__in=list(quantities))
            .select_related("order_line")
            .order_by("pk")
        )
        parts = []
        for row in spent:
            line = row.order_line
            share = _share(row.amount, quantity=int(quantities[line.pk]), of=line.quantity)
            share = min(share, row.amount - row.given_back)
            if share > 0:
                parts.append((row, share))
        back = _give_back(account, parts, kind=EntryKind.RESTORE, key=f"restore:{key}", at=at, order=order)
    hold.settled_shortfall = Decimal(shortfall).quantize(ZERO)
    hold.settled_back = back
    hold.save(update_fields=["settled_shortfall", "settled_back"])
    return ReturnedBonuses(clawback_shortfall=hold.settled_shortfall, bonuses_back=back)
