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

The loyalty issue builds the ledger behind them; until then they change nothing and owe nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReturnedBonuses:
    """The loyalty side of one accepted return, for the refund's breakdown."""

    clawback_shortfall: Decimal = ZERO  # tenge the money refund must deduct: accrued bonuses the balance lacks
    bonuses_back: int = 0  # bonuses spent on the returned quantities that come back as bonuses


def return_requested(*, key: str, order_id: int, quantities: Mapping[int, int], at: datetime) -> None:
    """Hold the pending accrual of `quantities` (order line id → units) of order `order_id`."""


def return_withdrawn(*, key: str) -> None:
    """Release what `return_requested(key=key, ...)` held."""


def goods_returned(*, key: str, order_id: int, quantities: Mapping[int, int], at: datetime) -> ReturnedBonuses:
    """Settle the bonuses of returned `quantities`; returns what the refund shows and deducts."""
    return ReturnedBonuses()
