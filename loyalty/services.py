"""Use cases that change the bonus ledger, each in a transaction holding the account's row lock.

Every change appends one `BonusEntry` with a database-unique idempotency key and moves lots and the cached
balance by the same amount, so balance = Σ log = Σ lots' remaining ≥ 0 always holds. A second call with the same
key finds the entry and changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from base.mail import queue_email
from base.workdays import shop_tz
from orders.models import Order, OrderLine, OrderStatus

from . import locks, mails, policy, selectors
from .models import (
    BonusAccount,
    BonusEntry,
    BonusLot,
    EntryKind,
    LotSource,
    PendingAccrual,
    PhoneConfirmation,
    SpentBonus,
    Tier,
)


class LoyaltyError(Exception):
    """A refused ledger change; the message is for the person who asked."""


def local_date(moment: datetime) -> date:
    return moment.astimezone(shop_tz()).date()


def _done(key: str) -> bool:
    return BonusEntry.objects.filter(key=key).exists()


def _credit(
    account: BonusAccount,
    *,
    kind: str,
    source: str,
    amount: int,
    key: str,
    at: datetime,
    expires_at=None,
    order=None,
    note: str = "",
    reason: str = "",
    actor=None,
) -> BonusEntry | None:
    """A new lot of `amount` and its log entry; the account must be locked. None when `key` was already used."""
    if amount <= 0 or _done(key):
        return None
    lot = BonusLot.objects.create(
        account=account,
        source=source,
        amount=amount,
        remaining=amount,
        accrued_at=at,
        expires_at=expires_at,
        order=order,
        note=note[:200],
    )
    account.balance += amount
    BonusAccount.objects.filter(pk=account.pk).update(balance=account.balance)
    return BonusEntry.objects.create(
        account=account,
        kind=kind,
        amount=amount,
        key=key,
        order=order,
        lot=lot,
        reason=reason[:300],
        actor=actor,
        at=at,
    )


def _live_lots(account: BonusAccount, *, at: datetime) -> list[BonusLot]:
    """Unexpired lots with something left, in the order they are spent (LOY-7: soonest expiry first)."""
    lots = {
        lot.pk: lot
        for lot in BonusLot.objects.select_for_update().filter(account=account, remaining__gt=0).order_by("pk")
        if lot.expires_at is None or lot.expires_at > at
    }
    ordered = policy.spending_order([(lot.pk, lot.expires_at, lot.accrued_at) for lot in lots.values()])
    return [lots[pk] for pk in ordered]


def _debit(
    account: BonusAccount,
    *,
    kind: str,
    amount: int,
    key: str,
    at: datetime,
    order=None,
    reason: str = "",
    actor=None,
    lots: list[BonusLot] | None = None,
) -> list[tuple[BonusLot, int]] | None:
    """Take `amount` from the lots (soonest expiry first, or from `lots` as given) and log it; the account must be
    locked and hold enough. None when `key` was already used."""
    if amount <= 0 or _done(key):
        return None
    lots = _live_lots(account, at=at) if lots is None else lots
    by_id = {lot.pk: lot for lot in lots}
    taken = policy.take_from_lots([(lot.pk, lot.remaining) for lot in lots], amount)
    if sum(part for _pk, part in taken) != amount or account.balance < amount:
        raise LoyaltyError(_("There are not enough bonuses on the account."))
    for pk, part in taken:
        by_id[pk].remaining -= part
        BonusLot.objects.filter(pk=pk).update(remaining=by_id[pk].remaining)
    account.balance -= amount
    BonusAccount.objects.filter(pk=account.pk).update(balance=account.balance)
    BonusEntry.objects.create(
        account=account,
        kind=kind,
        amount=-amount,
        key=key,
        order=order,
        lot=lots[0] if len(taken) == 1 else None,
        reason=reason[:300],
        actor=actor,
        at=at,
    )
    return [(by_id[pk], part) for pk, part in taken]


# --- Joining (LOY-1) --------------------------------------------------------------------------------------------


@transaction.atomic
def join(*, user, phone: str, now: datetime | None = None) -> BonusAccount:
    """LOY-1: open the customer's account for a confirmed phone; one account per customer and per phone. A joining
    bonus (a useful action, LOY-7: never expires) is granted when the setting gives one."""
    now = now or timezone.now()
    if BonusAccount.objects.filter(user=user).exists():
        raise LoyaltyError(_("You are already in the loyalty programme."))
    if BonusAccount.objects.filter(phone=phone).exists():
        raise LoyaltyError(_("This phone number is already in the loyalty programme."))
    account = BonusAccount.objects.create(
        user=user, phone=phone, joined_at=now, tier=selectors.lowest_tier(), tier_since=local_date(now)
    )
    account = locks.account_for_update(account.pk)
    _credit(
        account,
        kind=EntryKind.USEFUL_ACTION,
        source=LotSource.USEFUL_ACTION,
        amount=settings.SHOP_LOYALTY_JOIN_BONUS,
        key=f"useful:join:{account.pk}",
        at=now,
        note=_("Phone confirmed"),
    )
    return account


# --- Account deletion (ACC-3) ------------------------------------------------------------------------------------


@transaction.atomic
def close_for_deleted_customer(*, user_id: int, now: datetime | None = None) -> BonusAccount | None:
    """ACC-3: the customer deleted their account. The ledger stays for the accounts, but the bonus account loses the
    phone and the link to the customer; what was left on it is written off by a logged adjustment (balance = Σ log
    = Σ lots stays true) and pending accruals are cancelled; phone confirmations go. Idempotent."""
    now = now or timezone.now()
    PhoneConfirmation.objects.filter(user_id=user_id).delete()
    account = locks.account_of_user_for_update(user_id)
    if account is None:
        return None
    PendingAccrual.objects.filter(account=account, status=PendingAccrual.Status.WAITING).update(
        status=PendingAccrual.Status.CANCELLED
    )
    if account.balance > 0:
        _debit(
            account,
            kind=EntryKind.ADJUST,
            amount=account.balance,
            key=f"close:account:{account.pk}",
            at=now,
            reason="ACC-3: account deleted by the customer",
            lots=list(BonusLot.objects.select_for_update().filter(account=account, remaining__gt=0).order_by("pk")),
        )
    account.user, account.phone, account.closed_at = None, None, now
    account.save(update_fields=["user", "phone", "closed_at"])
    return account


# --- Spending at checkout (LOY-8, CPN-2) --------------------------------------------------------------------------


def _whole_shares(shares: list[Decimal], amount: int) -> list[int]:
    """The order lines' discount shares (tiyn) as whole bonuses summing to `amount` (largest remainder)."""
    floors = [int(share) for share in shares]
    rest = amount - sum(floors)
    by_fraction = sorted(range(len(shares)), key=lambda i: (shares[i] - floors[i], -i), reverse=True)
    for i in by_fraction[: max(0, rest)]:
        floors[i] += 1
    return floors


def spend_for_order(*, account: BonusAccount, order: Order, lines, amount: int, at: datetime) -> None:
    """Debit the bonuses that pay part of `order` (inside `place_order`'s transaction, the account locked), and
    remember which lots paid for which line, for a cancellation or a return."""
    taken = _debit(account, kind=EntryKind.SPEND, amount=amount, key=f"spend:order:{order.pk}", at=at, order=order)
    if not taken:
        return
    per_line = _whole_shares([line.discount_share for line in lines], amount)
    parts = [[lot, part] for lot, part in taken]
    rows = []
    for line, owed in zip(lines, per_line, strict=True):
        while owed > 0:
            lot_part = parts[0]
            use = min(owed, lot_part[1])
            rows.append(SpentBonus(account=account, order_line=line, lot=lot_part[0], amount=use))
            owed -= use
            lot_part[1] -= use
            if lot_part[1] == 0:
                parts.pop(0)
    SpentBonus.objects.bulk_create(rows)


def _give_back(
    account: BonusAccount, spent: list[tuple[SpentBonus, int]], *, kind: str, key: str, at, order, reason: str = ""
) -> int:
    """Put spent bonuses back into the lots they came from (an expired lot is expired again by the sweep)."""
    total = sum(amount for _row, amount in spent)
    if total <= 0 or _done(key):
        return 0
    for row, amount in spent:
        row.given_back += amount
        SpentBonus.objects.filter(pk=row.pk).update(given_back=row.given_back)
        lot = BonusLot.objects.select_for_update().get(pk=row.lot_id)
        BonusLot.objects.filter(pk=lot.pk).update(remaining=lot.remaining + amount)
    account.balance += total
    BonusAccount.objects.filter(pk=account.pk).update(balance=account.balance)
    BonusEntry.objects.create(
        account=account, kind=kind, amount=total, key=key, order=order, reason=reason[:300], at=at
    )
    return total


@transaction.atomic
def release_order(*, order: Order, at: datetime | None = None) -> int:
    """CPN-2/ORD-6: a cancelled or expired unpaid order gives back at once every bonus it spent; idempotent."""
    at = at or timezone.now()
    spent = list(SpentBonus.objects.filter(order_line__order=order).order_by("pk"))
    if not spent:
        return 0
    account = locks.account_for_update(spent[0].account_id)
    rows = [
        (row, row.amount - row.given_back)
        for row in SpentBonus.objects.select_for_update().filter(pk__in=[row.pk for row in spent]).order_by("pk")
    ]
    return _give_back(account, rows, kind=EntryKind.RELEASE, key=f"release:order:{order.pk}", at=at, order=order)


# --- Accrual (LOY-5, LOY-6) ---------------------------------------------------------------------------------------


@transaction.atomic
def schedule_accruals(*, order: Order) -> int:
    """LOY-5/6: the order's bonus-earning lines become pending accruals of the customer's account (once; a member's
    order only), with their due time once the order is both paid and delivered. Returns how many are waiting."""
    if order.user_id is None or order.status in (OrderStatus.CANCELLED, OrderStatus.REFUSED):
        return 0
    account = BonusAccount.objects.filter(user_id=order.user_id).first()
    if account is None:
        return 0
    due = policy.accrual_due(
        paid_at=order.paid_at, delivered_at=order.delivered_at, delay_days=settings.SHOP_LOYALTY_ACCRUAL_DELAY_DAYS
    )
    existing = set(PendingAccrual.objects.filter(order=order).values_list("order_line_id", flat=True))
    new = []
    for line in OrderLine.objects.filter(order=order).order_by("pk"):
        base = policy.accrual_base(
            paid_total=line.paid_total, bonus_earning=line.bonus_earning, is_service=line.is_service
        )
        if base > 0 and line.pk not in existing:
            new.append(
                PendingAccrual(
                    account=account, order=order, order_line=line, quantity=line.quantity, base=base, due_at=due
                )
            )
    PendingAccrual.objects.bulk_create(new, ignore_conflicts=True)
    if due is not None:
        PendingAccrual.objects.filter(order=order, status=PendingAccrual.Status.WAITING, due_at__isnull=True).update(
            due_at=due
        )
    return PendingAccrual.objects.filter(order=order, status=PendingAccrual.Status.WAITING).count()


@transaction.atomic
def cancel_accruals(*, order: Order) -> int:
    """A cancelled or refused order earns nothing."""
    return PendingAccrual.objects.filter(order=order, status=PendingAccrual.Status.WAITING).update(
        status=PendingAccrual.Status.CANCELLED
    )


def _tiers_by_code() -> dict[str, Tier]:
    return {tier.code: tier for tier in Tier.objects.all()}


def accrue_batch(pending_ids, *, now: datetime, rules=None, tiers=None, mail: bool = True) -> int:
    """LOY-5/6/7: turn due pending accruals into purchase lots expiring 90 days later, in one transaction with a
    fixed number of queries whatever the batch holds (set-based: the batch's accounts locked in one SELECT ... FOR
    UPDATE by id, the pending rows in another, the lots and their log entries written by one INSERT, pending rows
    and balances moved by one UPDATE each, one mail task for the batch); rows that are not due, held by a return,
    cancelled or already accrued are left alone. A higher tier reached takes effect the next day (LOY-4). Returns
    the bonuses accrued."""
    pending_ids = [int(pk) for pk in pending_ids]
    if not pending_ids:
        return 0
    rules = rules if rules is not None else selectors.tier_rules()
    tiers = tiers if tiers is not None else _tiers_by_code()
    tiers_by_pk = {tier.pk: tier for tier in tiers.values()}
    expires_at = policy.purchase_expiry(now, days=settings.SHOP_LOYALTY_PURCHASE_EXPIRY_DAYS)
    today = local_date(now)
    with transaction.atomic():
        accounts = {a.pk: a for a in locks.accounts_of_pending_for_update(pending_ids)}
        pendings = locks.due_pending_for_update(pending_ids, now=now)
        keys = [f"accrue:line:{p['order_line_id']}" for p in pendings]
        used = _used_keys(keys)
        credits = []  # (account id, amount, key, order id)
        accrued: dict[int, int] = {}
        for pending, key in zip(pendings, keys, strict=True):
            account = accounts[pending["account_id"]]
            tier = _effective_tier(account, today, tiers_by_pk)
            kept = pending["quantity"] - pending["returned_quantity"]
            base = policy.part_of(pending["base"], quantity=kept, of=pending["quantity"])
            amount = 0 if key in used else policy.accrual_amount(base, earn_percent=tier.earn_percent)
            accrued[pending["id"]] = amount
            if amount > 0:
                account.balance += amount
                credits.append((account.pk, amount, key, pending["order_id"]))
        _insert_purchase_lots(credits, at=now, expires_at=expires_at)
        _set_values(PendingAccrual, "accrued", accrued, status=PendingAccrual.Status.ACCRUED)
        touched = [accounts[pk] for pk in sorted({c[0] for c in credits})]
        _set_values(BonusAccount, "balance", {a.pk: a.balance for a in touched})
        _reach_tiers(touched, at=now, rules=rules, tiers=tiers, tiers_by_pk=tiers_by_pk)
        if mail and touched:
            per_account: dict[int, int] = {}
            for account_id, amount, _key, _order in credits:
                per_account[account_id] = per_account.get(account_id, 0) + amount
            expires = expires_at.astimezone(shop_tz()).date().isoformat()
            mails.queue_batch(
                template="mail/loyalty/accrued",
                mails=[
                    {
                        "to": account.user.email,
                        "language": account.user.preferred_language,  # the customer's, not the sweep's
                        "context": {
                            "shop_url": settings.SHOP_BASE_URL,
                            "amount": per_account[account.pk],
                            "expires": expires,
                            "balance": account.balance,
                        },
                    }
                    for account in touched
                    if account.user_id  # a closed account (customer deleted, ACC-3) gets no mail
                ],
            )
    return sum(c[1] for c in credits)


def _used_keys(keys: list[str]) -> set[str]:
    """Which of `keys` the log already holds (one query, the keys as one array parameter)."""
    if not keys:
        return set()
    if connection.vendor != "postgresql":  # no arrays (SQLite): the ORM's IN
        return set(BonusEntry.objects.filter(key__in=keys).values_list("key", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT key FROM "{BonusEntry._meta.db_table}" WHERE key = ANY(%s)',  # noqa: S608 (the model's table)
            [keys],
        )
        return {row[0] for row in cursor.fetchall()}


def _effective_tier(account: BonusAccount, today: date, tiers_by_pk: dict[int, Tier]) -> Tier:
    """`selectors.effective_tier` from the tier table in memory (no query per account)."""
    if account.next_tier_id and account.next_tier_from and account.next_tier_from <= today:
        return tiers_by_pk[account.next_tier_id]
    return tiers_by_pk[account.tier_id]


def _insert_purchase_lots(credits, *, at: datetime, expires_at: datetime) -> None:
    """One statement for a batch: a purchase lot per credit and its `accrue` log entry pointing at it. The lot ids
    are drawn from the lots' sequence in the same statement, so each entry names its own lot. The idempotency keys
    stay database-unique: a key used meanwhile fails the whole batch (rolled back, nothing half-written)."""
    if not credits:
        return
    if connection.vendor != "postgresql":  # SQLite (`make run` without services): no sequences or arrays
        for account_id, amount, key, order_id in credits:
            made = BonusLot.objects.create(
                account_id=account_id,
                source=LotSource.PURCHASE,
                amount=amount,
                remaining=amount,
                accrued_at=at,
                expires_at=expires_at,
                order_id=order_id,
                note="",
            )
            BonusEntry.objects.create(
                account_id=account_id, kind=EntryKind.ACCRUE, amount=amount, key=key, order_id=order_id, lot=made, at=at
            )
        return
    lot, entry = BonusLot._meta.db_table, BonusEntry._meta.db_table
    account_ids, amounts, keys, order_ids = (list(column) for column in zip(*credits, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH v AS MATERIALIZED (
                SELECT nextval(pg_get_serial_sequence('{lot}', 'id')) AS lot_id, u.*
                FROM unnest(%s::bigint[], %s::integer[], %s::text[], %s::bigint[])
                    AS u(account_id, amount, key, order_id)
            ), lots AS (
                INSERT INTO "{lot}" (id, account_id, source, amount, remaining, accrued_at, expires_at, order_id, note)
                SELECT lot_id, account_id, %s, amount, amount, %s, %s, order_id, '' FROM v
            )
            INSERT INTO "{entry}" (account_id, kind, amount, key, order_id, lot_id, reason, actor_id, at)
            SELECT account_id, %s, amount, key, order_id, lot_id, '', NULL, %s FROM v
            """,  # noqa: S608 (table names from the models; values are parameters)
            [account_ids, amounts, keys, order_ids, LotSource.PURCHASE, at, expires_at, EntryKind.ACCRUE, at],
        )


def _set_values(model, column: str, values: dict[int, int], **fixed) -> None:
    """One UPDATE setting `column` per row from `values` (pk → value), plus `fixed` columns: on PostgreSQL from
    unnested arrays (Django's bulk_update builds a CASE per row, costly for batches of hundreds)."""
    if not values:
        return
    if connection.vendor != "postgresql":
        for value in set(values.values()):
            model.objects.filter(pk__in=[pk for pk, v in values.items() if v == value]).update(
                **{column: value}, **fixed
            )
        return
    table = model._meta.db_table
    sets = ", ".join([f'"{column}" = v.value', *(f'"{name}" = %s' for name in fixed)])
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET {sets} FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, value) '  # noqa: S608
            f'WHERE "{table}"."id" = v.id',
            [*fixed.values(), list(values), list(values.values())],
        )


def _reach_tiers(accounts, *, at: datetime, rules, tiers, tiers_by_pk=None) -> None:
    """LOY-4: after accruals, a higher tier the purchases now reach takes effect the next day (one query for the
    purchases of all `accounts`, one update for all the accounts that reach a tier)."""
    if not accounts:
        return
    tiers_by_pk = tiers_by_pk or {tier.pk: tier for tier in tiers.values()}
    counted = selectors.purchases_of(
        [a.user_id for a in accounts],
        as_of=at,
        window_days=settings.SHOP_LOYALTY_TIER_WINDOW_DAYS,
        delay_days=settings.SHOP_LOYALTY_ACCRUAL_DELAY_DAYS,
    )
    today = local_date(at)
    effective_from = policy.tier_effective_from(today)
    reached_by: dict[int, int] = {}
    for account in accounts:
        orders, total = counted.get(account.user_id, (0, Decimal(0)))
        reached = policy.tier_for(rules, orders=orders, total=total)
        current = _effective_tier(account, today, tiers_by_pk)
        waiting = tiers_by_pk[account.next_tier_id].position if account.next_tier_id else -1
        if reached.position > current.position and reached.position > waiting:
            account.next_tier_id, account.next_tier_from = tiers[reached.code].pk, effective_from
            reached_by[account.pk] = account.next_tier_id
    _set_values(BonusAccount, "next_tier_id", reached_by, next_tier_from=effective_from)


def accrue(pending_id: int, *, now: datetime) -> int:
    """One pending accrual (`accrue_batch` of one)."""
    return accrue_batch([pending_id], now=now)


# --- Expiry (LOY-7) -----------------------------------------------------------------------------------------------


def expire_lot(lot_id: int, *, now: datetime) -> int:
    """LOY-7: what is left of an expired lot leaves the balance; once per lot (a restored part expires again)."""
    with transaction.atomic():
        row = BonusLot.objects.filter(pk=lot_id).values("account_id").first()
        if row is None:
            return 0
        account = locks.account_for_update(row["account_id"])
        lot = BonusLot.objects.select_for_update().get(pk=lot_id)
        if lot.remaining <= 0 or lot.expires_at is None or lot.expires_at > now:
            return 0
        n = BonusEntry.objects.filter(kind=EntryKind.EXPIRE, lot=lot).count()
        amount = lot.remaining
        _debit(
            account,
            kind=EntryKind.EXPIRE,
            amount=amount,
            key=f"expire:lot:{lot.pk}:{n}",
            at=now,
            lots=[lot],
            order=Order(pk=lot.order_id) if lot.order_id else None,
        )
    return amount


# --- Tiers (LOY-3, LOY-4) -----------------------------------------------------------------------------------------


def recompute_tier(account_id: int, *, today: date, rules, tiers) -> str:
    """Nightly: a reached tier whose day has come takes effect; then the tier is what the last 365 days' purchases
    give as of the start of `today` (up or down). Returns the new tier's code when it changed, else ""."""
    with transaction.atomic():
        account = locks.account_for_update(account_id)
        before = account.tier
        if account.next_tier_id and account.next_tier_from and account.next_tier_from <= today:
            account.tier, account.tier_since = account.next_tier, account.next_tier_from
            account.next_tier, account.next_tier_from = None, None
        orders, total = selectors.purchases(
            account.user_id,
            as_of=selectors.shop_day_start(today),
            window_days=settings.SHOP_LOYALTY_TIER_WINDOW_DAYS,
            delay_days=settings.SHOP_LOYALTY_ACCRUAL_DELAY_DAYS,
        )
        reached = tiers[policy.tier_for(rules, orders=orders, total=total).code]
        if reached.pk != account.tier_id:
            account.tier, account.tier_since = reached, today
        account.save(update_fields=["tier", "tier_since", "next_tier", "next_tier_from"])
        changed = account.tier_id != before.pk
        if changed and account.tier.position > before.position and account.user_id:
            # the mail and the tier's name (translated, modeltranslation) in the customer's language
            language = account.user.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):
                name = account.tier.name
            queue_email(
                template="mail/loyalty/tier_reached",
                to=account.user.email,
                language=language,
                context={
                    "tier": name,
                    "earn": str(account.tier.earn_percent),
                    "pay": str(account.tier.pay_percent),
                },
            )
    return account.tier.code if changed else ""


# --- Staff (admin) ----------------------------------------------------------------------------------------------


@transaction.atomic
def adjust(*, account: BonusAccount, amount: int, reason: str, actor, key: str, now: datetime | None = None) -> None:
    """A manual adjustment with its mandatory reason (audited in the log); Support may adjust up to the limit set
    in settings, larger adjustments need a superuser. A debit takes the soonest-expiring bonuses."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise LoyaltyError(_("Say why the balance is adjusted."))
    if amount == 0:
        raise LoyaltyError(_("The adjustment cannot be zero."))
    if abs(amount) > settings.SHOP_LOYALTY_SUPPORT_ADJUST_LIMIT and not actor.is_superuser:
        raise LoyaltyError(
            _("Adjustments larger than %(limit)s bonuses need a superuser.")
            % {"limit": settings.SHOP_LOYALTY_SUPPORT_ADJUST_LIMIT}
        )
    account = locks.account_for_update(account.pk)
    if amount > 0:
        _credit(
            account,
            kind=EntryKind.ADJUST,
            source=LotSource.ADJUSTMENT,
            amount=amount,
            key=key,
            at=now,
            reason=reason,
            actor=actor,
            expires_at=policy.purchase_expiry(now, days=settings.SHOP_LOYALTY_PURCHASE_EXPIRY_DAYS),
        )
    else:
        if account.balance < -amount:
            raise LoyaltyError(_("There are not enough bonuses on the account."))
        _debit(account, kind=EntryKind.ADJUST, amount=-amount, key=key, at=now, reason=reason, actor=actor)


def grant_promotion(
    *,
    account_ids,
    amount: int,
    expires_at: datetime | None,
    reason: str,
    key: str,
    actor=None,
    now: datetime | None = None,
) -> int:
    """Promotion bonuses to a segment of accounts, expiring by the promotion (LOY-7); once per account and `key`."""
    now = now or timezone.now()
    granted = 0
    for account_id in account_ids:
        with transaction.atomic():
            account = locks.account_for_update(account_id)
            if _credit(
                account,
                kind=EntryKind.PROMOTION,
                source=LotSource.PROMOTION,
                amount=amount,
                key=f"promotion:{key}:{account_id}",
                at=now,
                expires_at=expires_at,
                reason=reason,
                actor=actor,
                note=reason,
            ):
                granted += 1
    return granted
