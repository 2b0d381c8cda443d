"""Search latency one visitor at a time (issue 15: "search p95 < 50 ms at 20 000 products"; run by bench/run.sh).

    python bench/search_latency.py --base http://127.0.0.1:8002 [--rounds 20]

Against the shop served with the page cache off (bench/run.sh's second gunicorn), so every search is a full
render: the kinds of query a visitor types — a word, its plural (stemming), a typo, a brand in the other script, a
misspelt brand, an exact SKU, a Kazakh word, two words — each asked `--rounds` times in turn on one keep-alive
connection, after one warm-up round. Prints p50/p95/max per query and over all, and PASS/BELOW against the target
(the overall p95). Only loopback addresses are accepted.
"""

import argparse
import http.client
import statistics
import sys
import time
from urllib.parse import quote, urlsplit

TARGET_P95_MS = 50.0
QUERIES = {
    "word": "чайник",
    "plural": "чайники",
    "typo": "чайнк",
    "latin brand": "samsung",
    "brand typo": "samsnug",
    "sku": "GEN-000123",
    "kazakh": "шәйнек",
    "two words": "фен philips",
    "nothing": "zzzqqq",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the shop with SHOP_PAGE_CACHE=false, on 127.0.0.1")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    parts = urlsplit(args.base)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("bench: only a loopback address is measured")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    timings: dict[str, list[float]] = {name: [] for name in QUERIES}
    for round_number in range(args.rounds + 1):
        for name, text in QUERIES.items():
            started = time.perf_counter()
            connection.request("GET", f"/search/?q={quote(text)}")
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise SystemExit(f"bench: /search/?q={text} answered {response.status}")
            if round_number:  # the first round warms the workers up
                timings[name].append(elapsed)
    every = [ms for values in timings.values() for ms in values]
    print(f"search, one visitor, page cache off: {args.rounds} rounds of {len(QUERIES)} queries")
    print(f"{'query':14}{'text':>14}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, values in timings.items():
        print(
            f"{name:14}{QUERIES[name]:>14}{statistics.median(values):9.1f}{percentile(values, 0.95):9.1f}"
            f"{max(values):9.1f}"
        )
    p95 = percentile(every, 0.95)
    verdict = "PASS" if p95 < TARGET_P95_MS else "BELOW"
    overall = f"{statistics.median(every):9.1f}{p95:9.1f}{max(every):9.1f}"
    print(f"{'all':28}{overall}   p95 < {TARGET_P95_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
