#!/usr/bin/env bash
# `make bench`: serve the shop with production settings (gunicorn, 2 sync workers, PostgreSQL, Redis) on
# 127.0.0.1, seed the demo catalogue, then measure a category page and a product page against /bench/hello
# with wrk (bench/measure.py), then place orders through the real checkout POST (bench/place_order.py).
# See bench/README.md.
#
# Knobs (environment): BENCH_DURATION (10s), BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_WARMUP (3s),
# BENCH_ORDER_CONNECTIONS (4) and BENCH_ORDER_PRODUCTS (16) for place-order, BENCH_PRODUCTS (e.g. 20000:
# generated products are added until the shop has that many; issue 15), BENCH_SEARCH (the search query measured,
# чайник), BENCH_SEARCH_ROUNDS (20: bench/search_latency.py), BENCH_DB (shop_bench) and BENCH_REDIS_DB (3) to keep
# apart from another bench on the same machine,
# BENCH_RESET=1 to drop and recreate the shop_bench database first, BENCH_STRICT=1 to exit 1 when a page is
# below its target, BENCH_DIR (/tmp/shop-bench) for media, static files and the gunicorn log.
# Issue 16: after the pages, Lighthouse (mobile) on home, category, product, cart and checkout (bench/lighthouse.sh;
# skipped with a line when node/npm are missing, BENCH_LIGHTHOUSE=0 skips it); BENCH_ONLY=lighthouse serves the shop
# and runs only that step (what `bash bench/lighthouse.sh` does).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn
[[ -x $PY && -x $GUNICORN ]] || { echo "bench: no .venv with gunicorn: run 'make install-dev' first" >&2; exit 1; }

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
DB_NAME=${BENCH_DB:-shop_bench}
REDIS_DB=${BENCH_REDIS_DB:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/shop-bench}

log() { printf '\n== %s\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- Tools and services ---------------------------------------------------------------------------------------
BENCH_ONLY=${BENCH_ONLY:-}
if [[ $BENCH_ONLY != lighthouse ]] && ! command -v wrk >/dev/null; then
    log "installing wrk"
    as_root apt-get install -y wrk || { as_root apt-get update && as_root apt-get install -y wrk; }
fi

if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    log "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
    for _ in $(seq 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
    pg_isready -h "$PG_HOST" -p "$PG_PORT" || { echo "bench: PostgreSQL did not come up" >&2; exit 1; }
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 1; done
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null || { echo "bench: Redis did not come up" >&2; exit 1; }
fi

psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [[ ${BENCH_RESET:-0} == 1 ]]; then
    log "dropping database $DB_NAME"
    psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
fi
if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") ]]; then
    log "creating database $DB_NAME"
    psql_admin -c "CREATE DATABASE $DB_NAME"
fi

# --- Production-like settings ----------------------------------------------------------------------------------
# Plain HTTP on loopback, so no HTTPS redirect, HSTS or secure-only cookies; everything else as in production.
mkdir -p "$BENCH_DIR/media" "$BENCH_DIR/static"
export DJANGO_ENV=production
export DEBUG=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(48))')  # 64 characters
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SHOP_BASE_URL=http://127.0.0.1
export DATABASE_URL=postgres://postgres@$PG_HOST:$PG_PORT/$DB_NAME
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/$REDIS_DB
export CELERY_BROKER_URL=$REDIS_URL
export SECURE_SSL_REDIRECT=false
export SECURE_HSTS_SECONDS=0
export SESSION_COOKIE_SECURE=false
export CSRF_COOKIE_SECURE=false
export MEDIA_ROOT=$BENCH_DIR/media
export STATIC_ROOT=$BENCH_DIR/static
export LOG_LEVEL=WARNING
# seed_demo refuses to run in production without an explicit admin password: a throwaway one.
export DEMO_ADMIN_EMAIL=bench-admin@example.com
DEMO_ADMIN_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(18))')
export DEMO_ADMIN_PASSWORD

log "migrate, seed_demo, collectstatic"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py seed_demo | sed '/^Admin:/d'  # the bench's throwaway admin is of no use afterwards
"$PY" manage.py collectstatic --noinput -v 0
if [[ -n ${BENCH_PRODUCTS:-} ]]; then
    log "generate_catalogue --products $BENCH_PRODUCTS"
    "$PY" manage.py generate_catalogue --products "$BENCH_PRODUCTS"
fi
SEARCH_QUERY=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "${BENCH_SEARCH:-чайник}")
# Start from a cold page cache: Redis database $REDIS_DB (3) belongs to the bench alone.
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$REDIS_DB" flushdb >/dev/null

# --- Pages to measure -------------------------------------------------------------------------------------------
read -r CATEGORY_SLUG PRODUCT_SLUG < <("$PY" manage.py shell -v 0 -c '
from django.db.models import Count, Q
from shop.models import Category, Product
active = Q(products__is_active=True)
category = (Category.objects.filter(is_active=True).exclude(slug="bench-place-order")
            .annotate(n=Count("products", filter=active))
            .filter(n__gt=0).order_by("-n", "slug").first())
product = (Product.objects.filter(is_active=True, category=category).annotate(v=Count("variants"))
           .order_by("-v", "slug").first()) if category else None
print(category.slug if category else "-", product.slug if product else "-")
' | tail -n 1)
if [[ -z ${CATEGORY_SLUG:-} || $CATEGORY_SLUG == - || -z ${PRODUCT_SLUG:-} || $PRODUCT_SLUG == - ]]; then
    echo "bench: no active category with products after seed_demo" >&2
    exit 1
fi

# --- gunicorn -----------------------------------------------------------------------------------------------------
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE=http://127.0.0.1:$PORT
GUNICORN_LOG=$BENCH_DIR/gunicorn.log
GUNICORN_PID=
COLD_PID=
cleanup() {
    local status=$?
    if [[ -n $COLD_PID ]] && kill -0 "$COLD_PID" 2>/dev/null; then
        kill -TERM "$COLD_PID" 2>/dev/null || true
        wait "$COLD_PID" 2>/dev/null || true
    fi
    if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        for _ in $(seq 20); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    if [[ $status -ne 0 && -s $GUNICORN_LOG ]]; then
        echo "--- last lines of $GUNICORN_LOG" >&2
        tail -n 40 "$GUNICORN_LOG" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "gunicorn: 2 sync workers on $BASE"
"$GUNICORN" config.wsgi:application -w 2 -b "127.0.0.1:$PORT" --log-level warning >"$GUNICORN_LOG" 2>&1 &
GUNICORN_PID=$!
# Issue 15: the same shop with the page cache off, for the cold pages (idle while the warm ones are measured).
COLD_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
COLD_BASE=http://127.0.0.1:$COLD_PORT
SHOP_PAGE_CACHE=false "$GUNICORN" config.wsgi:application -w 2 -b "127.0.0.1:$COLD_PORT" --log-level warning \
    >"$BENCH_DIR/gunicorn-cold.log" 2>&1 &
COLD_PID=$!

ready=
for _ in $(seq 60); do
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then echo "bench: gunicorn exited" >&2; exit 1; fi
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/healthz" || true) == 200 ]]; then
        ready=1
        break
    fi
    sleep 0.5
done
[[ -n $ready ]] || { echo "bench: $BASE/healthz did not answer 200 within 30 s:" >&2; curl -s "$BASE/healthz" >&2 || true; exit 1; }
for _ in $(seq 60); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$COLD_BASE/healthz" || true) == 200 ]] && break
    sleep 0.5
done

lighthouse() {
    bash bench/lighthouse.sh --base "$BASE" --category "$CATEGORY_SLUG" --product "$PRODUCT_SLUG"
}
if [[ $BENCH_ONLY == lighthouse ]]; then
    lighthouse
    exit
fi

log "measuring"
"$PY" bench/measure.py --base "$BASE" --cold-base "$COLD_BASE" \
    "hello=/bench/hello" \
    "category=/catalog/$CATEGORY_SLUG/" \
    "product=/product/$PRODUCT_SLUG/" \
    "search=/search/?q=$SEARCH_QUERY" \
    "category-cold=/catalog/$CATEGORY_SLUG/" \
    "product-cold=/product/$PRODUCT_SLUG/" \
    "search-cold=/search/?q=$SEARCH_QUERY"
# Issue 15: search p95 < 50 ms at 20 000 products — one visitor at a time, every search rendered (page cache off).
"$PY" bench/search_latency.py --base "$COLD_BASE" --rounds "${BENCH_SEARCH_ROUNDS:-20}"

if [[ ${BENCH_LIGHTHOUSE:-1} != 0 ]]; then
    lighthouse || [[ ${BENCH_STRICT:-0} != 1 ]]
fi

log "placing orders"
# After the pages: every order changes stock and so invalidates the cached catalogue pages.
"$PY" bench/place_order.py --base "$BASE"

# Issue 14: the loyalty accrual sweep, 100 000 due accruals (bench/loyalty_accrual.py); its mails stay in memory.
log "loyalty accrual sweep"
CELERY_BROKER_URL=memory:// "$PY" bench/loyalty_accrual.py || [[ ${BENCH_STRICT:-0} != 1 ]]
# Issue 11: the returns sweeps over 100 000 open return requests and refunds (bench/returns_sweeps.py).
log "returns sweeps"
"$PY" bench/returns_sweeps.py --count "${BENCH_RETURNS:-100000}"
log "exporting refunds (issue 13)"
# FIN-1: 100 000 refunds as CSV and XLSX through the report's exporters; peak RSS against a 1 000-row export.
"$PY" bench/refund_export.py
