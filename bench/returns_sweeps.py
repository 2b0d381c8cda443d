"""`make bench` (issue 11): the returns sweeps over 100 000 open return requests and 100 000 open refunds, of which
1 % are due (lapse, late inspection, overdue refund) — each sweep must finish in well under 30 s with a bounded
number of queries per batch. Seeds its own rows (one order, bulk inserts) and removes them afterwards.

    DATABASE_URL=... .venv/bin/python bench/returns_sweeps.py [--count 100000]
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from orders.models import Order  # noqa: E402
from returns import requests, services, sweeps  # noqa: E402
from returns.models import Refund, ReturnLine, ReturnRequest, ReturnState  # noqa: E402

BATCH = 5000


def seed(order, count: int) -> None:
    today = timezone.localdate()
    now = timezone.now()
    line = order.lines.first()
    for start in range(0, count, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, count)):
            due = i % 100 == 0  # 1 %: past its send-back day (lapses) or its inspection day (flagged)
            state = ReturnState.RECEIVED if i % 100 == 50 else ReturnState.SUBMITTED
            rows.append(
                ReturnRequest(
                    number=f"B-{i:07d}",
                    order=order,
                    email=order.email,
                    reason="changed_mind",
                    shipping="courier_pickup",
                    state=state,
                    created_at=now,
                    send_back_by=today - timedelta(days=1) if due else today + timedelta(days=10),
                    received_at=now if state == ReturnState.RECEIVED else None,
                    inspect_by=today - timedelta(days=1) if state == ReturnState.RECEIVED else None,
                )
            )
        made = ReturnRequest.objects.bulk_create(rows)
        ReturnLine.objects.bulk_create([ReturnLine(request=r, order_line=line, quantity=1) for r in made])
        Refund.objects.bulk_create(
            [
                Refund(
                    order=order,
                    reason=Refund.Reason.RETURN,
                    amount=Decimal("100.00"),
                    goods_amount=Decimal("100.00"),
                    payment_method="cod",  # a refused call on a cash refund is scanned, never re-sent
                    due_by=today - timedelta(days=1) if i % 100 == 0 else today + timedelta(days=5),
                    last_error="refused" if i % 100 == 1 else "",
                )
                for i in range(start, min(start + BATCH, count))
            ]
        )


def measure(name, run):
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - started
    print(f"{name:<28} {seconds:7.2f} s  {count[0]:7d} queries  result={result}")
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    order = Order.objects.filter(lines__isnull=False).order_by("pk").first()
    if order is None:
        sys.exit("bench: no order with lines (run bench/place_order.py or seed an order first)")
    print(f"seeding {args.count} return requests and {args.count} refunds ...")
    started = time.perf_counter()
    seed(order, args.count)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    try:
        total = 0.0
        total += measure("lapse unsent returns", lambda: requests.lapse_unsent_returns())
        total += measure("lapse again (idempotent)", lambda: requests.lapse_unsent_returns())
        total += measure("retry failed refunds", lambda: services.retry_failed_refunds())
        total += measure("flag late + digest", lambda: sweeps.flag_late_and_send_digest())
        total += measure("flag again (idempotent)", lambda: sweeps.flag_late_and_send_digest())
        print(f"all sweeps: {total:.2f} s (target < 30 s)")
    finally:
        ids = ReturnRequest.objects.filter(number__startswith="B-")
        Refund.objects.filter(order=order, reason=Refund.Reason.RETURN, return_request__isnull=True).delete()
        ids.delete()


if __name__ == "__main__":
    main()
