#!/usr/bin/env bash
# Issue 16: Lighthouse (mobile) on home, a category, a product, the cart (one item in it) and checkout, against the
# shop on production settings; prints the four category scores per page (bench/lighthouse.py). A bench step, not a
# test: the scores go in the session's note. See bench/README.md.
#
#     bash bench/lighthouse.sh            # serves the shop itself: BENCH_ONLY=lighthouse bash bench/run.sh
#     bash bench/lighthouse.sh --base http://127.0.0.1:PORT --category SLUG --product SLUG   # what run.sh calls
#
# Lighthouse is pinned in bench/lighthouse/package-lock.json and installed there with `npm ci` when missing or
# when the lock changed. Needs node (18.16+) and npm; without them the step is skipped with one line. Chromium:
# CHROME_PATH (/usr/bin/chromium). Reports (JSON and HTML) go to bench/results/lighthouse/ (not committed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "lighthouse: skipped (no node/npm on this machine)"
    exit 0
fi
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
if [[ ! -x $CHROME_PATH ]]; then
    echo "lighthouse: skipped (no Chromium at $CHROME_PATH; set CHROME_PATH)"
    exit 0
fi

if [[ $# -eq 0 ]]; then
    exec env BENCH_ONLY=lighthouse bash bench/run.sh
fi

DIR=bench/lighthouse
if [[ ! -x $DIR/node_modules/.bin/lighthouse || $DIR/package-lock.json -nt $DIR/node_modules/.package-lock.json ]]; then
    printf '\n== %s\n' "npm ci (lighthouse, pinned in $DIR/package-lock.json)"
    npm ci --prefix "$DIR" --no-audit --no-fund --ignore-scripts --loglevel=error
fi

printf '\n== %s\n' "lighthouse (mobile), issue 16"
.venv/bin/python bench/lighthouse.py --lighthouse "$DIR/node_modules/.bin/lighthouse" "$@"
