"""The loyalty accrual sweep on the real PostgreSQL (issue 14): BENCH_ACCRUALS due pending accruals (100 000) over
BENCH_ACCOUNTS members (10 000), accrued by `loyalty.sweeps.accrue_due`; reports the time, accruals/s and the
queries of one batch (bounded whatever the batch holds). Target: 100 000 in < 30 s.

    DATABASE_URL=... python bench/loyalty_accrual.py

Setup (untimed) writes users, accounts, orders, lines and pending accruals in bulk, tagged by an e-mail prefix;
everything it wrote is deleted at the end (and at the start, left over from an interrupted run)."""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from loyalty import selectors, services, sweeps  # noqa: E402
from loyalty.models import BonusAccount, BonusEntry, BonusLot, PendingAccrual, Tier  # noqa: E402
from orders.models import City, Order, OrderLine, OrderStatus  # noqa: E402
from shop.models import Category, Product, Variant  # noqa: E402

PREFIX = "bench-loyalty-"
ACCRUALS = int(os.environ.get("BENCH_ACCRUALS", "100000"))
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "10000"))
TARGET_SECONDS = 30.0


def cleanup() -> None:
    users = User.objects.filter(email__startswith=PREFIX)
    accounts = BonusAccount.objects.filter(user__in=users)
    orders = Order.objects.filter(email__startswith=PREFIX)
    with transaction.atomic():
        BonusEntry.objects.filter(account__in=accounts).delete()
        PendingAccrual.objects.filter(account__in=accounts).delete()
        BonusLot.objects.filter(account__in=accounts).delete()
        accounts.delete()
        OrderLine.objects.filter(order__in=orders).delete()
        orders.delete()
        Variant.objects.filter(sku__startswith=PREFIX).delete()
        Product.objects.filter(slug__startswith=PREFIX).delete()
        Category.objects.filter(slug__startswith=PREFIX).delete()
        users.delete()


def setup(now) -> None:
    if not Tier.objects.exists():
        raise SystemExit("bench: no tier table: run migrate first")
    basic = selectors.lowest_tier()
    city = City.objects.first() or City.objects.create(name="Almaty", name_ru="Алматы")
    category = Category.objects.create(slug=f"{PREFIX}c", name="Bench loyalty")
    product = Product.objects.create(category=category, slug=f"{PREFIX}p", name="Bench loyalty good")
    variant = Variant.objects.create(product=product, sku=f"{PREFIX}sku", price=Decimal("10000"), stock=0)
    users = User.objects.bulk_create(
        [User(email=f"{PREFIX}{n}@example.kz", password="!") for n in range(ACCOUNTS)], batch_size=2000
    )
    accounts = BonusAccount.objects.bulk_create(
        [
            BonusAccount(user=u, phone=f"+7700{n:07d}", tier=basic, tier_since=now.date(), joined_at=now)
            for n, u in enumerate(users)
        ],
        batch_size=2000,
    )
    per_order = max(1, ACCRUALS // ACCOUNTS)
    delivered = now - timedelta(days=8)
    orders = Order.objects.bulk_create(
        [
            Order(
                number=f"B{n:09d}",
                access_token=f"{PREFIX}{n}",
                user=u,
                status=OrderStatus.DELIVERED,
                full_name="Bench",
                email=f"{PREFIX}{n}@example.kz",
                phone="+77000000000",
                delivery_method="courier",
                city=city,
                delivery_address_text="-",
                delivery_cost=Decimal(0),
                eta_from=now.date(),
                eta_to=now.date(),
                goods_total=Decimal(10000 * per_order),
                total=Decimal(10000 * per_order),
                payment_method="cod",
                paid_amount=Decimal(10000 * per_order),
                placed_at=delivered,
                processing_from=now.date(),
                paid_at=delivered,
                delivered_at=delivered,
            )
            for n, u in enumerate(users)
        ],
        batch_size=2000,
    )
    lines, pendings = [], []
    for order in orders:
        for _ in range(per_order):
            lines.append(
                OrderLine(
                    order=order,
                    variant=variant,
                    product_name="Bench",
                    sku=variant.sku,
                    quantity=1,
                    regular_price=Decimal(10000),
                    unit_price=Decimal(10000),
                    line_total=Decimal(10000),
                    paid_total=Decimal(10000),
                )
            )
    # one variant per order line would break orderline_one_per_variant: the bench's lines share a variant, so the
    # constraint is checked per order; with several lines per order each needs its own variant
    if per_order > 1:
        variants = Variant.objects.bulk_create(
            [Variant(product=product, sku=f"{PREFIX}sku{n}", price=Decimal("10000"), stock=0) for n in range(per_order)]
        )
        for index, line in enumerate(lines):
            line.variant = variants[index % per_order]
    lines = OrderLine.objects.bulk_create(lines, batch_size=5000)
    account_of = {order.pk: account for order, account in zip(orders, accounts, strict=True)}
    for line in lines:
        pendings.append(
            PendingAccrual(
                account=account_of[line.order_id],
                order_id=line.order_id,
                order_line=line,
                quantity=1,
                base=Decimal(10000),
                due_at=delivered + timedelta(days=7),
            )
        )
    PendingAccrual.objects.bulk_create(pendings, batch_size=5000)
    # fresh statistics after the bulk load, as autovacuum gives a live table (stale ones make the planner sort every
    # waiting row for each batch instead of walking the partial index)
    with connection.cursor() as cursor:
        for model in (PendingAccrual, BonusAccount, BonusLot, BonusEntry, Order):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def main() -> int:
    now = timezone.now()
    cleanup()
    started = time.perf_counter()
    setup(now)
    due = PendingAccrual.objects.filter(account__user__email__startswith=PREFIX, status="waiting").count()
    print(f"setup: {due} due accruals over {ACCOUNTS} accounts in {time.perf_counter() - started:.1f} s")
    batch = sweeps._batch(None)
    ids = list(
        PendingAccrual.objects.filter(status="waiting", due_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    with CaptureQueriesContext(connection) as one_batch:
        first = services.accrue_batch(ids, now=now)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("sweeps.accrue_due(now=now, max_batches=4)", globals(), locals(), sort="cumtime")
    clock = time.perf_counter()
    rest = sweeps.accrue_due(now=now)
    seconds = time.perf_counter() - clock
    accrued = PendingAccrual.objects.filter(account__user__email__startswith=PREFIX, status="accrued").count()
    print(f"one batch of {len(ids)}: {len(one_batch)} queries")
    print(
        f"accrual sweep: {accrued} accrued ({first + rest} bonuses) in {seconds:.1f} s after the first batch; "
        f"{(accrued - len(ids)) / seconds:.0f} accruals/s; target 100 000 in < {TARGET_SECONDS:.0f} s"
    )
    log, lots = (
        BonusEntry.objects.filter(kind="accrue", account__user__email__startswith=PREFIX).count(),
        BonusLot.objects.filter(account__user__email__startswith=PREFIX).count(),
    )
    assert log == lots == accrued, (log, lots, accrued)
    cleanup()
    return 0 if accrued == due and seconds * accrued / max(1, accrued - len(ids)) < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
