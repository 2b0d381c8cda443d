"""Row locks (select_for_update) for every row two requests can race on: stock, carts, coupons, orders."""

from django.db import connection
from django.db.transaction import TransactionManagementError

from shop.models import Variant

from .models import Cart, Coupon, Order


def variants_for_update(ids):
    # Always in primary-key order, so two orders for overlapping SKUs lock them in the same order (no deadlock).
    return Variant.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk")


def variants_with_products_for_update(ids):
    """`variants_for_update` with each variant's product and category read in the same query; only the variant
    rows are locked (`of`), so orders of different SKUs of one product or category never wait for each other."""
    return (
        Variant.objects.select_for_update(of=("self",))
        .select_related("product__category")
        .defer(*_LONG_TEXTS)  # descriptions, in every language, are not needed to sell
        .filter(pk__in=list(ids))
        .order_by("pk")
    )


_LONG_TEXTS = [
    f"{prefix}description{suffix}"
    for prefix in ("product__", "product__category__")
    for suffix in ("", "_ru", "_kk", "_en")
]


def lock_cart(pk) -> bool:
    """Lock the cart's row (False when it is gone) without loading it: the lock is all "Confirm" needs of it. Plain
    SQL, as `select_for_update` would write it, at an eighth of the ORM's cost on every order."""
    if not connection.in_atomic_block:  # as select_for_update: a lock outside a transaction would hold nothing
        raise TransactionManagementError("lock_cart() needs a transaction")
    meta, quote = Cart._meta, connection.ops.quote_name
    locking = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT 1 FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s{locking}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone() is not None


def coupon_for_update(pk):
    return Coupon.objects.select_for_update().get(pk=pk)


def order_for_update(pk):
    return Order.objects.select_for_update().get(pk=pk)
