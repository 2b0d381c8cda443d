"""Place orders through the real checkout POST and report orders/s and latency (run by bench/run.sh).

    python bench/place_order.py --base http://127.0.0.1:8001

Runs in the bench's environment (the same DATABASE_URL, REDIS_URL and SECRET_KEY as the gunicorn it measures):

1. setup (Django, untimed): BENCH_ORDER_PRODUCTS (16) bench products with a large stock in their own category, and
   BENCH_ORDERS guest sessions, each with its own cart of two lines (sessions, carts and lines written in bulk);
   the delivery tariffs come from seed_demo (an all-cities courier row is added if there is none). The total
   each order must show (`expected_total`) is computed with the shop's own pricing and delivery code;
2. each of BENCH_ORDER_CONNECTIONS client threads (4) GETs /checkout/ once with its first session, for the CSRF
   cookie and token (untimed); every POST of the checkout form (`action=confirm`, the fields in FORM) is then
   written out as bytes before the clock starts, and each thread sends its own, one per session, as fast as the
   answers come, for BENCH_DURATION after a BENCH_WARMUP warm-up: a connect, a send and a read per order, so the
   client's CPU (reported) takes little from the two cores the server runs on. Gunicorn's sync workers close
   the connection after each answer, so every POST opens a new one, as a browser's would;
3. verify (Django, untimed): one order per 302-to-the-order-page answer, and for every bench SKU
   initial stock − ordered quantity == stock now. The run's carts and sessions are then deleted.

Success is a 302 to the order's secret link; anything else (a re-rendered form, 4xx, 5xx, no answer) is an
error. Targets (the issue): >= 100 orders/s, p95 < 100 ms, 0 errors, stock exact.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import secrets
import socket
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
CATEGORY_SLUG = "bench-place-order"  # bench/run.sh keeps this category out of the page measurements
TARGET_RPS = 100.0
TARGET_P95_MS = 100.0

# The checkout form as a shopper fills it in (orders/checkout_forms.py); per-order values are added in `_form`.
FORM = {
    "full_name": "Бенч Покупатель",
    "phone": "+77011234567",
    "delivery_method": "courier",
    "address": "пр. Абая, 52, кв. 7",
    "pickup_point": "",
    "payment_method": "cod",
    "comment": "",
    "coupon_code": "",
    "terms": "on",
    "action": "confirm",
}
CITY = "Алматы"
CHECKOUT_PATH = "/checkout/"
ORDER_PATH = re.compile(r"/orders/o/[^/]+/$")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Plan:
    run: str
    city_id: int
    expected_total: str
    session_cookie: str
    csrf_cookie: str
    sessions: list[str]
    lines: list[list[tuple[int, int]]]  # per session: (variant id, quantity)
    initial_stock: dict[int, int]


@dataclass
class Outcome:
    index: int
    ok: bool
    latency_ms: float
    timed: bool
    status: int = 0
    detail: str = ""


@dataclass
class Report:
    orders_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    timed_orders: int
    warmup_orders: int
    errors: int
    seconds: float
    connections: int
    stock_exact: bool
    orders_match: bool
    units_ordered: int
    client_cpu: float = 0.0  # the bench client's CPU while it ran, as a share of one core
    ratio: float | None = None
    verdict: str = "-"
    problems: list[str] = field(default_factory=list)


# --- setup and verification (Django) ------------------------------------------------------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def setup(*, orders: int, products: int, stock: int) -> Plan:
    """Bench products (idempotent, stock topped up to `stock`), then `orders` guest sessions with a cart each."""
    from django.conf import settings
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.cached_db import SessionStore as CachedSessionStore
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.db import transaction
    from django.utils import timezone, translation
    from django.utils.crypto import get_random_string

    from orders.checkout.pricing import price_lines
    from orders.delivery.selectors import delivery_options
    from orders.models import Cart, CartLine, City, DeliveryTariff
    from shop.models import Category, Product, Variant
    from shop.page_cache import bump_catalogue_version

    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        category, _ = Category.objects.get_or_create(
            slug=CATEGORY_SLUG,
            defaults={"name_ru": "Бенчмарк", "name_kk": "Бенчмарк", "name_en": "Benchmark", "position": 10_000},
        )
        variants = []
        for n in range(1, products + 1):
            product, _ = Product.objects.get_or_create(
                slug=f"bench-item-{n}",
                defaults={
                    "category": category,
                    "name_ru": f"Бенч-товар {n}",
                    "name_kk": f"Бенч-тауар {n}",
                    "name_en": f"Bench item {n}",
                },
            )
            variant, _ = Variant.objects.get_or_create(
                sku=f"BENCH-{n:03d}",
                defaults={"product": product, "price": Decimal("4990.00"), "stock": stock, "weight_kg": Decimal("0.5")},
            )
            variants.append(variant)
        Variant.objects.filter(pk__in=[v.pk for v in variants]).update(stock=stock)
        # seed_demo's tariff table has this row; a bench database seeded otherwise gets a plain one
        DeliveryTariff.objects.get_or_create(
            method=FORM["delivery_method"], city=None, defaults={"base_cost": Decimal("1500.00")}
        )
        transaction.on_commit(bump_catalogue_version)

    city = City.objects.filter(name_ru=CITY, is_active=True).first()
    if city is None:
        raise SystemExit(f"bench: no active city {CITY!r} (run seed_demo)")

    run = secrets.token_hex(4)
    expires = timezone.now() + timedelta(hours=2)
    encoded = SessionStore().encode({})  # an empty guest session, signed with this SECRET_KEY
    sessions = [get_random_string(32, VALID_KEY_CHARS) for _ in range(orders)]
    plan_lines = []
    for i in range(orders):
        a, b = variants[i % len(variants)], variants[(i + 1) % len(variants)]
        plan_lines.append([(a.pk, 1), (b.pk, 2)])
    with transaction.atomic():
        Session.objects.bulk_create(
            [Session(session_key=key, session_data=encoded, expire_date=expires) for key in sessions]
        )
        if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db":
            # as after the shopper's earlier pages: the session is in the cache too
            cache_prefix = CachedSessionStore.cache_key_prefix
            caches[settings.SESSION_CACHE_ALIAS].set_many({cache_prefix + key: {} for key in sessions}, 7200)
        carts = Cart.objects.bulk_create([Cart(session_key=key) for key in sessions])
        CartLine.objects.bulk_create(
            [
                CartLine(cart=cart, variant_id=variant_id, quantity=quantity)
                for cart, lines in zip(carts, plan_lines, strict=True)
                for variant_id, quantity in lines
            ]
        )

    # What the page shows and the POST must confirm: every cart costs the same (same prices and weights).
    sample = list(CartLine.objects.filter(cart=carts[0]).select_related("variant__product"))
    now = timezone.now()
    priced = price_lines(sample, slot=None, email="", now=now)
    option = next(
        o for o in delivery_options(city_id=city.pk, lines=sample, now=now) if o.method == FORM["delivery_method"]
    )
    if not option.available:
        raise SystemExit(f"bench: {FORM['delivery_method']} is not available in {CITY}: {option.reason} (seed_demo?)")
    return Plan(
        run=run,
        city_id=city.pk,
        expected_total=str(priced.after_discount + option.cost),
        session_cookie=settings.SESSION_COOKIE_NAME,
        csrf_cookie=settings.CSRF_COOKIE_NAME,
        sessions=sessions,
        lines=plan_lines,
        initial_stock={v.pk: stock for v in variants},
    )


def verify(plan: Plan, outcomes: list[Outcome]) -> tuple[bool, bool, int, list[str]]:
    """(stock exact, orders match, units ordered, problems); then delete what the run left unused."""
    from django.contrib.sessions.models import Session
    from django.db.models import Sum

    from orders.models import Cart, Order, OrderLine
    from shop.models import Variant

    problems = []
    placed = [o for o in outcomes if o.ok]
    expected: dict[int, int] = dict.fromkeys(plan.initial_stock, 0)
    for outcome in placed:
        for variant_id, quantity in plan.lines[outcome.index]:
            expected[variant_id] += quantity
    orders = Order.objects.filter(email__startswith=f"bench-{plan.run}-")
    count = orders.count()
    orders_match = count == len(placed)
    if not orders_match:
        problems.append(f"{count} orders in the database, {len(placed)} confirmed to the client")
    now = dict(Variant.objects.filter(pk__in=plan.initial_stock).values_list("pk", "stock"))
    in_lines = dict(
        OrderLine.objects.filter(order__in=orders)
        .values("variant_id")
        .annotate(n=Sum("quantity"))
        .values_list("variant_id", "n")
    )
    stock_exact = True
    for variant_id, initial in plan.initial_stock.items():
        taken = initial - now[variant_id]
        if taken != expected[variant_id] or in_lines.get(variant_id, 0) != expected[variant_id]:
            stock_exact = False
            problems.append(
                f"variant {variant_id}: stock {initial} → {now[variant_id]} (−{taken}), "
                f"order lines {in_lines.get(variant_id, 0)}, expected −{expected[variant_id]}"
            )
    emptied = Cart.objects.filter(session_key__in=[plan.sessions[o.index] for o in placed], lines__isnull=False)
    if emptied.exists():
        stock_exact = False
        problems.append(f"{emptied.distinct().count()} carts of placed orders still hold lines")
    Cart.objects.filter(session_key__in=plan.sessions).delete()  # the bench's guests leave nothing behind
    Session.objects.filter(session_key__in=plan.sessions).delete()
    return stock_exact, orders_match, sum(expected.values()), problems


# --- the HTTP client (no Django) ------------------------------------------------------------------------------------


def _form(plan: Plan, index: int, csrf: str) -> str:
    return urlencode(
        {
            **FORM,
            "email": f"bench-{plan.run}-{index}@example.kz",
            "city": plan.city_id,
            "expected_total": plan.expected_total,
            "csrfmiddlewaretoken": csrf,
        }
    )


def _csrf_for(host: str, port: int, plan: Plan, index: int) -> tuple[str, str]:
    """GET the checkout page once (untimed): (csrftoken cookie, form token)."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", CHECKOUT_PATH, headers={"Cookie": f"{plan.session_cookie}={plan.sessions[index]}"})
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        cookies = response.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()
    if response.status != 200:
        raise SystemExit(f"bench: GET {CHECKOUT_PATH} answered {response.status}, not the checkout page")
    token = CSRF_INPUT.search(body)
    cookie = next((c.split(";", 1)[0].split("=", 1)[1] for c in cookies if c.startswith(f"{plan.csrf_cookie}=")), None)
    if not token or not cookie:
        raise SystemExit("bench: the checkout page gave no CSRF cookie and token")
    return cookie, token.group(1)


def _request(plan: Plan, index: int, host: str, port: int, csrf_cookie: str, csrf_token: str) -> bytes:
    """The whole POST, bytes on the wire, built before the clock starts: the client does no work per order beyond
    a connect, a send and a read, so its CPU (on the same cores as the server) stays small."""
    body = _form(plan, index, csrf_token).encode("ascii")
    head = (
        f"POST {CHECKOUT_PATH} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: {plan.session_cookie}={plan.sessions[index]}; {plan.csrf_cookie}={csrf_cookie}\r\n"
        f"Origin: http://{host}:{port}\r\n"
        f"Referer: http://{host}:{port}{CHECKOUT_PATH}\r\n"
        "Connection: close\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def _answer(raw: bytes) -> tuple[int, str]:
    """(status, Location) of a raw HTTP answer."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise http.client.HTTPException(f"not an HTTP answer: {lines[0][:80]!r}")
    location = next((line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("location:")), "")
    return int(parts[1]), location


def _exchange(host: str, port: int, request: bytes) -> bytes:
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):  # gunicorn's sync workers close the connection after each answer
            chunks.append(chunk)
    return b"".join(chunks)


def drive(
    host: str, port: int, plan: Plan, *, connections: int, warmup: float, duration: float
) -> tuple[list, float, float]:
    """Each connection takes every `connections`-th session; returns (outcomes, timed seconds, the client's CPU as a
    share of one core while it ran)."""
    shares = [list(range(c, len(plan.sessions), connections)) for c in range(connections)]
    tokens = [_csrf_for(host, port, plan, share[0]) for share in shares]
    requests = [
        [(index, _request(plan, index, host, port, *token)) for index in share]
        for share, token in zip(shares, tokens, strict=True)
    ]
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(connections + 1)
    clock = {}

    def client(prepared):
        mine = []
        start_gate.wait()
        for index, request in prepared:
            started = time.perf_counter()
            if started >= clock["end"]:
                break
            timed = started >= clock["timed_from"]
            try:
                status, location = _answer(_exchange(host, port, request))
                ok = status == 302 and bool(ORDER_PATH.search(urlsplit(location).path))
                detail = "" if ok else f"HTTP {status} {location}".strip()
            except (OSError, http.client.HTTPException) as exc:
                ok, status, detail = False, 0, f"{type(exc).__name__}: {exc}"
            elapsed = (time.perf_counter() - started) * 1000
            mine.append(Outcome(index=index, ok=ok, latency_ms=elapsed, timed=timed, status=status, detail=detail))
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=client, args=(prepared,), daemon=True) for prepared in requests]
    for thread in threads:
        thread.start()
    cpu = time.process_time()
    begin = time.perf_counter()
    clock["timed_from"] = begin + warmup
    clock["end"] = begin + warmup + duration
    start_gate.wait()
    for thread in threads:
        thread.join()
    finished = time.perf_counter()
    client_cpu = (time.process_time() - cpu) / max(finished - begin, 1e-9)
    timed_seconds = max(min(finished, clock["end"]) - clock["timed_from"], 1e-9)
    return outcomes, timed_seconds, client_cpu


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)  # nearest rank: the smallest value with at least p % of the values at or below it
    rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[rank]


def _duration_seconds(value: str) -> float:
    if not re.fullmatch(r"\d+(\.\d+)?[smh]?", value):
        raise SystemExit(f"bench: bad duration {value!r} (use e.g. 10s, 1m)")
    return float(value.rstrip("smh")) * {"s": 1, "m": 60, "h": 3600}.get(value[-1], 1)


def _hello_rps() -> float | None:
    try:
        report = json.loads((RESULTS_DIR / "latest.json").read_text())
    except (OSError, ValueError):
        return None
    hello = next((r for r in report.get("results", []) if r.get("name") == "hello"), None)
    return hello.get("rps") if hello else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    args = parser.parse_args()
    parts = urlsplit(args.base)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost", "::1") or not parts.port:
        raise SystemExit(f"bench: --base must be http://<loopback address>:<port>, not {args.base!r}")

    duration = _duration_seconds(os.environ.get("BENCH_DURATION", "10s"))
    warmup = _duration_seconds(os.environ.get("BENCH_WARMUP", "3s"))
    connections = int(os.environ.get("BENCH_ORDER_CONNECTIONS", "4"))
    orders = int(os.environ.get("BENCH_ORDERS", str(int((duration + warmup) * 400))))
    # Not BENCH_PRODUCTS: that one is the catalogue's size (bench/run.sh, issue 15), 20 000 bench products here.
    products = int(os.environ.get("BENCH_ORDER_PRODUCTS", "16"))

    _django()
    plan = setup(orders=orders, products=products, stock=10_000_000)
    print(
        f"place-order: {connections} connections, {warmup:g}s warm-up + {duration:g}s, {len(plan.sessions)} guest "
        f"carts ready, POST {CHECKOUT_PATH} (total {plan.expected_total} ₸ each)",
        flush=True,
    )
    outcomes, seconds, client_cpu = drive(
        parts.hostname, parts.port, plan, connections=connections, warmup=warmup, duration=duration
    )
    stock_exact, orders_match, units, problems = verify(plan, outcomes)

    timed = [o for o in outcomes if o.timed]
    latencies = [o.latency_ms for o in timed]
    errors = [o for o in outcomes if not o.ok]
    report = Report(
        orders_per_s=sum(o.ok for o in timed) / seconds,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        timed_orders=sum(o.ok for o in timed),
        warmup_orders=sum(o.ok for o in outcomes if not o.timed),
        errors=len(errors),
        seconds=seconds,
        connections=connections,
        stock_exact=stock_exact,
        orders_match=orders_match,
        units_ordered=units,
        client_cpu=client_cpu,
        problems=problems,
    )
    if len(outcomes) == len(plan.sessions):
        report.problems.append(f"all {len(plan.sessions)} carts used before the time was up: raise BENCH_ORDERS")
    hello = _hello_rps()
    report.ratio = report.orders_per_s / hello if hello else None
    if errors or not stock_exact or not orders_match:
        report.verdict = "ERRORS"
    elif report.orders_per_s >= TARGET_RPS and report.p95_ms < TARGET_P95_MS:
        report.verdict = "PASS"
    else:
        report.verdict = "BELOW"

    ratio = f"{report.ratio:.2f}" if report.ratio is not None else "-"
    print()
    print(f"{'page':<12} {'orders/s':>9} {'p95 ms':>8} {'ratio':>7} {'target':>18}  result  path")
    target = f">= {TARGET_RPS:.0f}/s, < {TARGET_P95_MS:.0f} ms"
    print(
        f"{'place-order':<12} {report.orders_per_s:>9.1f} {report.p95_ms:>8.1f} {ratio:>7} {target:>18}  "
        f"{report.verdict:<6}  POST {CHECKOUT_PATH}"
    )
    print(
        f"  {report.timed_orders} orders in {seconds:.1f} s (+{report.warmup_orders} warm-up) on {connections} "
        f"connections: p50 {report.p50_ms:.1f} ms, p95 {report.p95_ms:.1f} ms, p99 {report.p99_ms:.1f} ms; "
        f"{report.errors} errors; stock {'exact' if stock_exact else 'WRONG'} ({units} units ordered), "
        f"orders {'match' if orders_match else 'DO NOT MATCH'}; client CPU {client_cpu:.0%} of a core"
    )
    if errors:
        kinds: dict[str, int] = {}
        for outcome in errors:
            kinds[outcome.detail] = kinds.get(outcome.detail, 0) + 1
        for detail, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:5]:
            print(f"  error ×{n}: {detail}", file=sys.stderr)
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)

    RESULTS_DIR.mkdir(exist_ok=True)
    latest = RESULTS_DIR / "latest.json"
    try:
        saved = json.loads(latest.read_text())
    except (OSError, ValueError):
        saved = {}
    saved["place_order"] = asdict(report)
    latest.write_text(json.dumps(saved, indent=2, ensure_ascii=False) + "\n")

    if report.verdict == "ERRORS":
        return 1
    if os.environ.get("BENCH_STRICT") == "1" and report.verdict == "BELOW":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
