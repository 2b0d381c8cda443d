"""Run Lighthouse (mobile) on the shop's main pages and print the four category scores (issue 16).

    python bench/lighthouse.py --lighthouse bench/lighthouse/node_modules/.bin/lighthouse \
        --base http://127.0.0.1:8001 --category books --product some-book

Run by bench/lighthouse.sh against the gunicorn that bench/run.sh started on production settings. Pages: home, the
category, the product, the cart and checkout; the last two with a guest session holding one item (added through
the product page's "Add to cart" form, sent to Lighthouse as a Cookie header). Each page is fetched once before
Lighthouse loads it, so the page cache is warm as on a busy shop. Reports (JSON and HTML) and a summary go to
bench/results/lighthouse/. LIGHTHOUSE_LANG=kk or en measures the same pages in that language; LIGHTHOUSE_RUNS=3
runs each page three times and reports the run with the median performance score. Lighthouse's own
defaults otherwise: mobile form factor, simulated slow 4G and a 4x slower CPU, so the performance score is a model
of a mid-range phone, noisy on a loaded machine.

Exit 1 when Lighthouse fails on a page; with BENCH_STRICT=1 also when a score is below TARGET.
"""

import argparse
import http.client
import ipaddress
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

TARGET = 95  # issue 16: at least 95 in every category on every page
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RESULTS_DIR = Path(__file__).resolve().parent / "results" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox"
SESSION_COOKIE = "sessionid"
VARIANT_INPUT = re.compile(r'<form class="add-to-cart"[^>]*>\s*<input type="hidden" name="variant" value="(\d+)"')


def _check_loopback(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback or not parts.port:
        raise SystemExit(f"lighthouse: --base must be http://<loopback address>:<port>, not {base!r}")
    return host, parts.port


def _request(host: str, port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def cart_cookie(host: str, port: int, product_path: str) -> str:
    """A guest session with one item in its cart, as a Cookie header value: the product page's first variant
    added through the real "Add to cart" POST (same-origin check: Origin header)."""
    status, _, html = _request(host, port, "GET", product_path, {})
    match = VARIANT_INPUT.search(html)
    if status != 200 or not match:
        raise SystemExit(f"lighthouse: {product_path} answered {status} without an 'Add to cart' form")
    form = urlencode({"variant": match.group(1), "quantity": "1", "next": product_path})
    status, headers, _ = _request(
        host,
        port,
        "POST",
        "/cart/add/",
        {
            "Origin": f"http://{host}:{port}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        form,
    )
    cookies = dict(c.split(";", 1)[0].split("=", 1) for c in headers.get_all("Set-Cookie") or [])
    if status != 302 or SESSION_COOKIE not in cookies:
        raise SystemExit(f"lighthouse: adding to the cart answered {status}, cookies {sorted(cookies)}")
    # The session only: the flash message ("Added to your cart") belongs to the visit that added the item.
    return f"{SESSION_COOKIE}={cookies[SESSION_COOKIE]}"


def run_lighthouse(binary: str, url: str, out: Path, cookie: str | None) -> dict | str:
    """The report as a dict, or what went wrong."""
    cmd = [
        binary,
        url,
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if cookie:
        cmd.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    report = out.with_name(out.name + ".report.json")
    if done.returncode != 0 or not report.exists():
        return f"lighthouse exited {done.returncode}: {(done.stderr or done.stdout).strip()[-800:]}"
    data = json.loads(report.read_text())
    if data.get("runtimeError"):
        return f"{data['runtimeError'].get('code')}: {data['runtimeError'].get('message')}"
    data["_report"] = report.name
    return data


# Lighthouse's own failures to record a page's trace (seen on a loaded machine, gone on a second run): one more try.
LIGHTHOUSE_FLAKES = ("NO_NAVSTART", "NO_FCP", "Something went wrong with recording the trace")


def median_run(binary: str, url: str, out: Path, cookie: str | None, runs: int) -> dict | str:
    """With runs > 1 (LIGHTHOUSE_RUNS), the run with the median performance score, as Lighthouse's docs advise
    against one run's variance; the others' reports are kept as <page>-2, <page>-3, ..."""
    reports = []
    for run in range(1, runs + 1):
        path = out if run == 1 else out.with_name(f"{out.name}-{run}")
        report = run_lighthouse(binary, url, path, cookie)
        if isinstance(report, str) and any(flake in report for flake in LIGHTHOUSE_FLAKES):
            print(f"  {url}: Lighthouse's own trace failure ({report[:60]}...): running it once more", flush=True)
            report = run_lighthouse(binary, url, path, cookie)
        if isinstance(report, str):
            return report
        reports.append(report)
    reports.sort(key=lambda report: report["categories"]["performance"]["score"] or 0)
    return reports[len(reports) // 2]


def scores(report: dict) -> dict:
    return {
        name: None if report["categories"][name]["score"] is None else round(report["categories"][name]["score"] * 100)
        for name in CATEGORIES
    }


def failing_audits(report: dict, category: str) -> list[str]:
    """Audits of a category that lost points (weight > 0, score < 1), heaviest first."""
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
            found.append((ref["weight"], f"{ref['id']} ({audit['title']})"))
    return [text for _, text in sorted(found, key=lambda item: -item[0])]


def opportunities(report: dict, limit: int = 4) -> list[str]:
    """Performance opportunities with an estimated saving, largest first, and the metrics as Lighthouse saw them."""
    found = []
    for audit in report["audits"].values():
        details = audit.get("details") or {}
        saving = details.get("overallSavingsMs") or 0
        if details.get("type") == "opportunity" and saving > 0 and (audit.get("score") or 0) < 1:
            found.append((saving, f"{audit['title']} (~{saving:.0f} ms)"))
    return [text for _, text in sorted(found, key=lambda item: -item[0])[:limit]]


def metrics(report: dict) -> str:
    shown = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
    short = dict(zip(shown, ("FCP", "LCP", "TBT", "CLS"), strict=True))
    audits = report["audits"]
    return ", ".join(f"{short[m]} {audits[m].get('displayValue', '?')}" for m in shown if m in audits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", required=True, help="the lighthouse CLI")
    parser.add_argument("--base", required=True)
    parser.add_argument("--category", required=True, help="a category slug")
    parser.add_argument("--product", required=True, help="a product slug")
    args = parser.parse_args()
    host, port = _check_loopback(args.base)
    runs = int(os.environ.get("LIGHTHOUSE_RUNS", "1"))
    base = args.base.rstrip("/")
    product_path = f"/product/{args.product}/"
    cookie = cart_cookie(host, port, product_path)
    # LIGHTHOUSE_LANG=kk or en: the same pages in that language (Russian, the default, has no prefix).
    prefix = f"/{lang}" if (lang := os.environ.get("LIGHTHOUSE_LANG", "ru")) != "ru" else ""
    pages = [
        ("home", f"{prefix}/", None),
        ("category", f"{prefix}/catalog/{args.category}/", None),
        ("product", prefix + product_path, None),
        ("cart", f"{prefix}/cart/", cookie),
        ("checkout", f"{prefix}/checkout/", cookie),
    ]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for stale in RESULTS_DIR.glob("*.report.*"):  # a previous run's, possibly with more LIGHTHOUSE_RUNS
        stale.unlink()
    rows, notes, summary, failed, below = [], [], {}, False, False
    for name, path, page_cookie in pages:
        status, headers, _ = _request(host, port, "GET", path, {"Cookie": page_cookie} if page_cookie else {})
        if status != 200:
            where = headers.get("Location")
            rows.append(f"{name:<10} HTTP {status}{' -> ' + where if where else ''}  {path}")
            failed = True
            continue
        report = median_run(args.lighthouse, base + path, RESULTS_DIR / name, page_cookie, runs)
        if isinstance(report, str):
            rows.append(f"{name:<10} FAILED  {path}")
            notes.append(f"  {name}: {report}")
            failed = True
            continue
        got = scores(report)
        summary[name] = {"path": path, "scores": got, "metrics": metrics(report), "report": report["_report"]}
        summary[name]["opportunities"] = opportunities(report)
        passed = all(score is not None and score >= TARGET for score in got.values())
        below = below or not passed
        cells = "".join(f"{'-' if got[c] is None else got[c]:>15}" for c in CATEGORIES)
        rows.append(f"{name:<10}{cells}  {'PASS' if passed else 'BELOW':<6} {path}")
        notes.append(f"  {name}: {summary[name]['metrics']}")
        for category in CATEGORIES[1:]:
            if got[category] is not None and got[category] < 100:
                summary[name][category] = failing_audits(report, category)
                notes.append(f"    {category} lost points on: {'; '.join(summary[name][category])}")
        for text in summary[name]["opportunities"]:
            notes.append(f"    opportunity: {text}")
    header = f"{'page':<10}" + "".join(f"{c:>15}" for c in CATEGORIES)
    print(f"{header}  {'>= ' + str(TARGET):<6} path" + (f"   (median of {runs} runs)" if runs > 1 else ""))
    print("\n".join(rows))
    print("\n".join(notes))
    (RESULTS_DIR / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"reports (JSON, HTML) and summary.json in {RESULTS_DIR}")
    if failed:
        return 1
    return 1 if below and os.environ.get("BENCH_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
