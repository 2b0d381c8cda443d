"""The loyalty programme's rules (LOY-3..9) as pure functions of plain values: no ORM, no I/O.

Numbers come from the caller (the tier table, settings), so each rule reads in one place and is tested without a
database. Bonuses are whole numbers: 1 bonus = 1 tenge (LOY-2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class TierRule:
    """One row of the tier table as the rules need it."""

    code: str
    position: int
    min_orders: int
    min_sum: Decimal
    earn_percent: Decimal
    pay_percent: Decimal


@dataclass(frozen=True)
class Progress:
    """LOY-10: what the next tier still needs."""

    tier: str | None  # the next tier's code, None at the top
    orders_needed: int = 0
    sum_needed: Decimal = ZERO


def whole_bonuses(amount: Decimal) -> int:
    """Bonuses are whole: always rounded down, never negative."""
    return max(0, int(Decimal(amount).to_integral_value(rounding=ROUND_DOWN)))


def tier_for(tiers: Sequence[TierRule], *, orders: int, total: Decimal) -> TierRule:
    """LOY-3: the highest tier whose order count AND sum are both met by the last 365 days' purchases; the lowest
    tier (Basic) otherwise."""
    ranked = sorted(tiers, key=lambda tier: tier.position)
    reached = [tier for tier in ranked if orders >= tier.min_orders and total >= tier.min_sum]
    return reached[-1] if reached else ranked[0]


def progress_to_next(tiers: Sequence[TierRule], *, current: TierRule, orders: int, total: Decimal) -> Progress:
    """LOY-10: the next tier above `current` and how many orders and how much money it still needs."""
    above = [tier for tier in sorted(tiers, key=lambda t: t.position) if tier.position > current.position]
    if not above:
        return Progress(tier=None)
    nxt = above[0]
    return Progress(
        tier=nxt.code, orders_needed=max(0, nxt.min_orders - orders), sum_needed=max(ZERO, nxt.min_sum - total)
    )


def window_start(today: date, *, days: int) -> date:
    """LOY-3: the first day of the last `days` days that count for the tier (today included)."""
    return today - timedelta(days=days - 1)


def accrual_base(*, paid_total: Decimal, bonus_earning: bool, is_service: bool) -> Decimal:
    """LOY-5: the money actually paid for a line's goods — the line total minus its discount share (coupon or
    bonuses); nothing for services or goods that earn no bonuses. Delivery is never a line, so never counts."""
    if is_service or not bonus_earning:
        return ZERO
    return max(ZERO, Decimal(paid_total))


def accrual_amount(base: Decimal, *, earn_percent: Decimal) -> int:
    """LOY-5: tier % of the base, whole bonuses rounded down."""
    return whole_bonuses(Decimal(base) * Decimal(earn_percent) / HUNDRED)


def part_of(amount: Decimal | int, *, quantity: int, of: int) -> Decimal:
    """The share of `quantity` units out of `of` in a line's `amount` (for partial returns)."""
    if of <= 0:
        return ZERO
    return Decimal(amount) * quantity / of


def accrual_due(*, paid_at: datetime | None, delivered_at: datetime | None, delay_days: int) -> datetime | None:
    """LOY-6: due = max(paid, delivered) + delay; None while the order is not both paid and delivered (cash on
    delivery is paid at delivery, so its due is the delivery + delay)."""
    if paid_at is None or delivered_at is None:
        return None
    return max(paid_at, delivered_at) + timedelta(days=delay_days)


def tier_effective_from(accrued_on: date) -> date:
    """LOY-4: a tier reached by an accrual takes effect the next day."""
    return accrued_on + timedelta(days=1)


def purchase_expiry(accrued_at: datetime, *, days: int) -> datetime:
    """LOY-7: purchase bonuses expire `days` (90) after accrual."""
    return accrued_at + timedelta(days=days)


def spending_order(lots: Sequence[tuple[int, datetime | None, datetime]]) -> list[int]:
    """LOY-7: which lots to spend first, given (id, expires_at or None, accrued_at): soonest expiry first, the
    never-expiring last, older first among equals."""

    def key(lot):
        lot_id, expires, accrued = lot
        return (expires is None, expires.timestamp() if expires else 0.0, accrued.timestamp(), lot_id)

    return [lot[0] for lot in sorted(lots, key=key)]


def take_from_lots(remaining: Sequence[tuple[int, int]], amount: int) -> list[tuple[int, int]]:
    """(lot id, how much) to take `amount` from lots already in spending order; (id, remaining) in. Takes what there
    is when the lots hold less (the caller checks the balance first)."""
    taken, left = [], amount
    for lot_id, available in remaining:
        if left <= 0:
            break
        part = min(available, left)
        if part > 0:
            taken.append((lot_id, part))
            left -= part
    return taken


def redemption_cap(payable_goods: Decimal, *, pay_percent: Decimal) -> int:
    """LOY-8: at most the tier's % of the goods total over `bonus_payable` goods, whole bonuses."""
    return whole_bonuses(Decimal(payable_goods) * Decimal(pay_percent) / HUNDRED)


def spendable(*, balance: int, cap: int, wanted: int | None = None) -> int:
    """LOY-8: what may be spent on this cart: the balance up to the cap (and up to what the shopper asked for)."""
    amount = min(balance, cap)
    if wanted is not None:
        amount = min(amount, max(0, wanted))
    return max(0, amount)


def clawback(*, owed: int, balance: int) -> tuple[int, int]:
    """REF-3/LOY-9: (bonuses taken back from the balance, shortfall the money refund deducts)."""
    taken = min(max(0, owed), max(0, balance))
    return taken, max(0, owed) - taken


def expiry_mail_due(*, last_sent: datetime | None, now: datetime, every_days: int) -> bool:
    """One "bonuses expiring" mail per customer per `every_days` (a week) at most."""
    return last_sent is None or now - last_sent >= timedelta(days=every_days)
