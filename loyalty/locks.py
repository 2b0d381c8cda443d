"""Row locks for what two requests or sweeps can race on: the bonus account (every balance change holds it)."""

from django.db import connection
from django.db.models.expressions import RawSQL

from .models import BonusAccount, PendingAccrual


def account_for_update(pk) -> BonusAccount:
    return BonusAccount.objects.select_for_update(of=("self",)).select_related("tier", "next_tier").get(pk=pk)


def account_of_user_for_update(user_id) -> BonusAccount | None:
    return (
        BonusAccount.objects.select_for_update(of=("self",))
        .select_related("tier", "next_tier")
        .filter(user_id=user_id)
        .first()
    )


_ACCOUNTS_OF_PENDING = f'SELECT account_id FROM "{PendingAccrual._meta.db_table}" WHERE id = ANY(%s)'  # noqa: S608


_ACCOUNT_FIELDS = ("id", "balance", "tier_id", "next_tier_id", "next_tier_from", "user_id", "user__email")
_ACCOUNT_FIELDS += ("user__preferred_language",)  # the accrual mail goes in the customer's language


def accounts_of_pending_for_update(pending_ids: list[int]) -> list[BonusAccount]:
    """The accounts of a batch of pending accruals, locked in one SELECT ... FOR UPDATE in id order (the order
    every batch locks in, so two batches never deadlock); on PostgreSQL the ids travel as one array parameter
    (SQLite, for `make run` without services, has no arrays: a plain IN there)."""
    if connection.vendor == "postgresql":
        pending = RawSQL(_ACCOUNTS_OF_PENDING, (pending_ids,))  # noqa: S611 (a constant; ids as a parameter)
    else:
        pending = PendingAccrual.objects.filter(pk__in=pending_ids).values("account_id")
    return list(
        BonusAccount.objects.select_for_update(of=("self",))
        .select_related("user")
        .only(*_ACCOUNT_FIELDS)
        .filter(pk__in=pending)
        .order_by("pk")
    )


_PENDING_TABLE = PendingAccrual._meta.db_table
_DUE_PENDING = " ".join(
    [
        "SELECT id, account_id, order_id, order_line_id, quantity, returned_quantity, base",
        f'FROM "{_PENDING_TABLE}"',
        "WHERE id = ANY(%s) AND status = %s AND due_at <= %s AND held_by = '' ORDER BY id FOR UPDATE",
    ]
)
_DUE_PENDING_COLUMNS = ("id", "account_id", "order_id", "order_line_id", "quantity", "returned_quantity", "base")


def due_pending_for_update(pending_ids: list[int], *, now) -> list[dict]:
    """The batch's pending accruals still waiting, due by `now` and not held by a return, locked, by id: one query
    with the ids as one array (`id = ANY(...)` is an index scan on the primary key; the ORM's IN where there are
    no arrays: SQLite)."""
    if connection.vendor != "postgresql":
        return list(
            PendingAccrual.objects.select_for_update()
            .filter(pk__in=pending_ids, status=PendingAccrual.Status.WAITING, due_at__lte=now, held_by="")
            .order_by("id")
            .values(*_DUE_PENDING_COLUMNS)
        )
    with connection.cursor() as cursor:
        cursor.execute(_DUE_PENDING, [pending_ids, PendingAccrual.Status.WAITING, now])
        return [dict(zip(_DUE_PENDING_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
