"""FIN-1 bench: export 100 000 refunds as CSV and XLSX through the report's own code (returns.report.exporters over
the server-side cursor, as the admin streams them), and compare each export's peak RSS with a 1 000-row export's.

    python bench/refund_export.py            # (bench/run.sh runs it with the production settings and shop_bench)

Targets (issue 13): CSV < 10 s, XLSX < 60 s, peak RSS of the 100 000-row export within 50 MB of the 1 000-row one.
Setup, untimed: 100 000 + 1 000 refunds (methods "bench-100k" and "bench-1k", so a filter selects exactly them, one or
two items each, some late) are written once in bulk against an existing order and kept. Each export runs in a fresh
process so its peak RSS (ru_maxrss) is its own. Exit 1 when a target is missed.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"bench-1k": 1_000, "bench-100k": 100_000}
TARGET_SECONDS = {"csv": 10.0, "xlsx": 60.0}
RSS_MARGIN_MB = 50.0
RESULTS = ROOT / "bench" / "results"


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # a script: Django is configured here, before any model import

    django.setup()


def ensure_refunds() -> None:
    """Write the bench refunds that are missing (idempotent: a second run writes nothing)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from orders.models import Order, OrderLine
    from returns.models import Refund, RefundLine

    order = Order.objects.order_by("id").first()
    lines = list(OrderLine.objects.filter(order=order).order_by("id")[:2]) if order else []
    if not lines:
        raise SystemExit("bench: no order with lines to hang refunds on (run place_order first: bash bench/run.sh)")
    today = timezone.localdate()
    for method, size in SIZES.items():
        have = Refund.objects.filter(payment_method=method).count()
        batch = 5_000
        for start in range(have, size, batch):
            n = min(batch, size - start)
            with transaction.atomic():
                made = Refund.objects.bulk_create(
                    Refund(
                        order=order,
                        reason=Refund.Reason.RETURN,
                        status=(Refund.Status.DONE, Refund.Status.DUE, Refund.Status.SENT)[i % 3],
                        amount=Decimal("1450.00"),
                        goods_amount=Decimal("1000.00"),
                        delivery_amount=Decimal("500.00"),
                        deductions=Decimal("50.00"),
                        payment_method=method,
                        due_by=today - timedelta(days=i % 20),
                        refunded_at=timezone.now() if i % 3 == 0 else None,
                        provider_reference=f"=BENCH{start + i}",
                    )
                    for i in range(n)
                )
                RefundLine.objects.bulk_create(
                    RefundLine(refund=refund, order_line=line, quantity=1, amount=Decimal("500.00"))
                    for i, refund in enumerate(made)
                    for line in lines[: 1 + i % 2]
                )
        print(f"  {method}: {size} refunds ready ({size - have} written now)", flush=True)


def child(fmt: str, method: str) -> None:
    """One export, in this process; prints JSON with the rows, the seconds and the peak RSS."""
    django_setup()
    from django.utils import timezone

    from returns.report import exporters
    from returns.report.exporters import RowCounter
    from returns.report.selectors import RefundFilter

    today = timezone.localdate()
    spec = RefundFilter(date_from=today.replace(year=today.year - 1), date_to=today, methods=(method,))
    rows = RowCounter(spec)
    started, cpu_started = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{fmt}"
        if fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as file:
                written = exporters.write_csv(file, rows)
        else:
            written = exporters.write_xlsx(str(path), rows)
        size = path.stat().st_size
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # this process only: the wall time also holds PostgreSQL's share
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(json.dumps({"rows": written, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "bytes": size}))


def run_child(fmt: str, method: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", fmt, method], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"bench: the {fmt} export of {method} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    django_setup()
    print("refund export: setting up the refunds (untimed)", flush=True)
    ensure_refunds()
    report, ok = {}, True
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (wall seconds grow with it; CPU seconds much less)")
    print(f"{'format':8}{'rows':>9}{'seconds':>10}{'CPU s':>8}{'peak MB':>10}{'file MB':>10}   target  result")
    for fmt in ("csv", "xlsx"):
        small = run_child(fmt, "bench-1k")
        big = run_child(fmt, "bench-100k")
        growth = big["peak_mb"] - small["peak_mb"]
        fast = big["seconds"] < TARGET_SECONDS[fmt]
        flat = growth <= RSS_MARGIN_MB
        ok &= fast and flat
        for item, target in ((small, "-"), (big, f"< {TARGET_SECONDS[fmt]:.0f} s")):
            print(
                f"{fmt:8}{item['rows']:>9}{item['seconds']:>10.2f}{item['cpu']:>8.2f}{item['peak_mb']:>10.1f}"
                f"{item['bytes'] / 1e6:>10.1f}   {target:7} {'' if item is small else ('PASS' if fast else 'SLOW')}"
            )
        print(
            f"{'':8}peak RSS +{growth:.1f} MB from 1 000 to 100 000 rows (target <= {RSS_MARGIN_MB:.0f} MB): "
            f"{'PASS' if flat else 'GROWS'}"
        )
        report[fmt] = {"1k": small, "100k": big, "rss_growth_mb": growth, "fast": fast, "flat": flat}
    RESULTS.mkdir(exist_ok=True)
    latest = RESULTS / "latest.json"
    saved = json.loads(latest.read_text()) if latest.is_file() else {}
    saved["refund_export"] = report
    latest.write_text(json.dumps(saved, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
