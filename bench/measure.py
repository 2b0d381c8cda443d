"""Measure pages with wrk against /bench/hello and print a table (run by bench/run.sh; see bench/README.md).

    python bench/measure.py --base http://127.0.0.1:8001 \
        hello=/bench/hello category=/catalog/x/ product=/product/y/

The first target is the baseline; every other one is reported as a ratio of its requests per second to the
baseline's. Only loopback addresses are accepted. Environment: BENCH_DURATION (10s), BENCH_CONNECTIONS (16),
BENCH_THREADS (2), BENCH_WARMUP (3s), BENCH_STRICT=1 to exit 1 when a page is below its target.
"""

import argparse
import http.client
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Minimum req/s of a page as a fraction of the baseline's (/bench/hello through the same middleware stack).
# Issue 15: warm pages 0.60; cold ones (served by a second gunicorn with SHOP_PAGE_CACHE=false, --cold-base)
# category 0.10, product 0.15.
TARGETS = {"category": 0.60, "product": 0.60, "search": 0.60, "category-cold": 0.10, "product-cold": 0.15}
RESULTS_DIR = Path(__file__).resolve().parent / "results"

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = re.compile(r"^\d+(\.\d+)?[smh]?$")


@dataclass
class Result:
    name: str
    path: str
    requests: int
    rps: float
    p99_ms: float
    p90_ms: float
    non_2xx: int
    socket_errors: int
    ratio: float | None = None
    target: float | None = None
    verdict: str = "-"


def _duration_seconds(value: str) -> float:
    if not _DURATION.match(value):
        raise SystemExit(f"bench: bad duration {value!r} (use e.g. 10s, 1m)")
    factor = {"s": 1, "m": 60, "h": 3600}.get(value[-1], 1)
    return float(value.rstrip("smh")) * factor


def _check_loopback(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback or not parts.port:
        raise SystemExit(f"bench: --base must be http://<loopback address>:<port>, not {base!r}")
    return host, parts.port


def check_ok(host: str, port: int, name: str, path: str) -> str | None:
    """None when GET path answers 200 (redirects are not followed), else a description of what came back."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read(2000).decode("utf-8", "replace")
    except OSError as exc:
        return f"{name} {path}: no answer ({exc})"
    finally:
        conn.close()
    if response.status == 200:
        return None
    where = response.getheader("Location")
    detail = f" -> {where}" if where else ""
    excerpt = " ".join(body.split())[:300]
    return f"{name} {path}: HTTP {response.status}{detail}\n    {excerpt}"


def run_wrk(url: str, *, threads: int, connections: int, duration: str, latency: bool) -> str:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--timeout", "5s"]
    if latency:
        cmd.append("--latency")
    cmd.append(url)
    limit = _duration_seconds(duration) + 30
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: wrk failed on {url}:\n{done.stdout}{done.stderr}")
    return done.stdout


def parse_wrk(output: str) -> dict:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p99 = re.search(r"^\s+99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
    p90 = re.search(r"^\s+90(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if not (rps and p99 and total):
        raise SystemExit(f"bench: could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(total.group(1)),
        "rps": float(rps.group(1)),
        "p99_ms": float(p99.group(1)) * _UNITS_MS[p99.group(2)],
        "p90_ms": float(p90.group(1)) * _UNITS_MS[p90.group(2)] if p90 else 0.0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in sock.groups()) if sock else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--cold-base", help="http://127.0.0.1:PORT of a server with the page cache off: "
                        "targets named *-cold are measured there")
    parser.add_argument("targets", nargs="+", metavar="NAME=PATH", help="the first one is the baseline")
    args = parser.parse_args()

    duration = os.environ.get("BENCH_DURATION", "10s")
    warmup = os.environ.get("BENCH_WARMUP", "3s")
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    threads = min(int(os.environ.get("BENCH_THREADS", "2")), connections)
    for value in (duration, warmup):
        _duration_seconds(value)
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is not installed (apt-get install wrk)")

    host, port = _check_loopback(args.base)
    targets = []
    for item in args.targets:
        name, sep, path = item.partition("=")
        if not sep or not path.startswith("/"):
            raise SystemExit(f"bench: target must be NAME=/path, not {item!r}")
        targets.append((name, path))

    cold = _check_loopback(args.cold_base) if args.cold_base else (host, port)

    def base_of(name: str) -> str:
        return args.cold_base if name.endswith("-cold") and args.cold_base else args.base

    failures = [
        msg for name, path in targets
        if (msg := check_ok(*(cold if name.endswith("-cold") else (host, port)), name, path))
    ]
    if failures:
        print("bench: these pages do not answer 200, nothing was measured:", file=sys.stderr)
        for msg in failures:
            print(f"  {msg}", file=sys.stderr)
        return 1

    print(f"wrk -t{threads} -c{connections} -d{duration} --latency, {warmup} warm-up each, {args.base}")
    results: list[Result] = []
    for name, path in targets:
        url = base_of(name).rstrip("/") + path
        run_wrk(url, threads=threads, connections=connections, duration=warmup, latency=False)
        output = run_wrk(url, threads=threads, connections=connections, duration=duration, latency=True)
        result = Result(name=name, path=path, **parse_wrk(output))
        results.append(result)
        print(f"  {name:<13} {result.rps:>10.1f} req/s  p90 {result.p90_ms:.1f} ms  p99 {result.p99_ms:.1f} ms",
              flush=True)

    baseline = results[0]
    for result in results:
        result.ratio = result.rps / baseline.rps if baseline.rps else None
        result.target = TARGETS.get(result.name)
        if result.non_2xx or result.socket_errors:
            result.verdict = "ERRORS"
        elif result.target is not None and result.ratio is not None:
            result.verdict = "PASS" if result.ratio >= result.target else "BELOW"

    print()
    print(f"{'page':<13} {'req/s':>10} {'p90 ms':>9} {'p99 ms':>9} {'ratio':>7} {'target':>8}  result  path")
    for r in results:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        target = f">= {r.target:.2f}" if r.target is not None else "-"
        row = f"{r.name:<13} {r.rps:>10.1f} {r.p90_ms:>9.1f} {r.p99_ms:>9.1f} {ratio:>7} {target:>8}"
        print(f"{row}  {r.verdict:<6}  {r.path}")
    for r in results:
        if r.verdict == "ERRORS":
            errors = f"{r.non_2xx} non-2xx/3xx responses, {r.socket_errors} socket errors"
            print(f"{r.name}: {errors}", file=sys.stderr)

    RESULTS_DIR.mkdir(exist_ok=True)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "wrk": {"threads": threads, "connections": connections, "duration": duration, "warmup": warmup},
        "results": [asdict(r) for r in results],
    }
    (RESULTS_DIR / "latest.json").write_text(json.dumps(report, indent=2) + "\n")

    if any(r.verdict == "ERRORS" for r in results):
        return 1
    if os.environ.get("BENCH_STRICT") == "1" and any(r.verdict == "BELOW" for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
