"""Cold page renders in process (issue 15, item 3): ms per category and product page with the page cache off,
against the /bench/hello view through the same middleware in the same process.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/cold_render.py [--rounds 5] [--pages 40]
    ... bench/cold_render.py --compare /tmp/shop-before      # the same, alternating with another checkout
    ... bench/cold_render.py --profile category               # cProfile of cold category renders, top 40

Production-like settings (DEBUG off, the cached template loader) unless the environment says otherwise. The
catalogue must exist (`manage.py seed_demo`, `manage.py generate_catalogue --products 2000`). Each page is measured
twice: with the product cards cached (a stock change made the page cold, its cards mostly unchanged) and with
every card rendered (the card cache empty too); the product page with its body cached (fragment-warm: another
product changed) and rendered (fragment-cold: this product changed). With --compare, each round runs this script
once per checkout in a fresh process, one after the other, so both see the same load on the machine: compare
within a round.
"""

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def setup(root: Path) -> None:
    sys.path.insert(0, str(root))
    os.chdir(root)
    os.environ.setdefault("DJANGO_ENV", "production")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "cold-render-bench-" + "x" * 48)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SHOP_BASE_URL", "http://testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("STATIC_ROOT", "/tmp/shop-cold-render/static")  # collected here on the first run
    os.environ["SHOP_PAGE_CACHE"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").is_file():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)


def pages() -> dict[str, str]:
    """The category with the most active products and its product with the most variants (as bench/run.sh)."""
    from django.db.models import Count, Q

    from shop.models import Category, Product

    active = Q(products__is_active=True)
    category = (
        Category.objects.filter(is_active=True)
        .exclude(slug="bench-place-order")
        .annotate(n=Count("products", filter=active))
        .filter(n__gt=0)
        .order_by("-n", "slug")
        .first()
    )
    product = (
        Product.objects.filter(is_active=True, category=category)
        .annotate(v=Count("variants"))
        .order_by("-v", "slug")
        .first()
    )
    return {"hello": "/bench/hello", "category": f"/catalog/{category.slug}/", "product": f"/product/{product.slug}/"}


class NoCards:
    """The card cache empty: every card of the page rendered."""

    def get_many(self, keys):
        return {}

    def set_many(self, mapping, timeout=None):
        pass


class NoLocalCards:
    """Nor any card in the process's memory (shop.cards.local_cards)."""

    def get(self, key):
        return None

    def set(self, key, html, timeout):
        pass

    def fetch(self, key, build, timeout, shared):  # LocalPages.fetch over this get/set: nothing kept here
        from shop.page_cache import LocalPages

        return LocalPages.fetch(self, key, build, timeout, shared)


def in_language(url: str, language: str) -> str:
    """The page's address in `language` (i18n_patterns: the default language has no prefix)."""
    from django.conf import settings

    return url if language == settings.LANGUAGE_CODE or url == "/bench/hello" else f"/{language}{url}"


def run_once(count: int, languages: list[str]) -> dict:
    from django.test import Client

    from shop import cards

    product_fragment = None  # a checkout from before the product page's body was cached: always rendered
    if (Path(cards.__file__).parent / "product_fragment.py").is_file():  # (the editable install would find ours)
        from shop import product_fragment
    client = Client()
    urls = pages()
    shared_cache, local_cards = cards.cache, getattr(cards, "local_cards", None)
    results = {}
    for name, url in urls.items():
        for state in ("warm", "cold") if name != "hello" else ("-",):
            cards.cache = NoCards() if state == "cold" else shared_cache
            cards.local_cards = NoLocalCards() if state == "cold" else local_cards
            if product_fragment is not None:  # cold: the product changed since its body was cached
                product_fragment.cache = NoLocalCards() if state == "cold" else shared_cache
                product_fragment.local_products.clear()
                fragments = product_fragment.local_products
                product_fragment.local_products = NoLocalCards() if state == "cold" else fragments
            localised = [in_language(url, lang) for lang in languages]
            for each in localised:
                response = client.get(each)  # warm-up; also checks the page
                assert response.status_code == 200, (each, response.status_code)
            started = time.perf_counter()
            for i in range(count):
                client.get(localised[i % len(localised)])
            elapsed = (time.perf_counter() - started) * 1000 / count
            kind = {"hello": "", "category": "/cards-", "product": "/fragment-"}[name]
            results[name + (kind + state if kind else "")] = elapsed
            if product_fragment is not None:
                product_fragment.local_products = fragments
    cards.cache, cards.local_cards = shared_cache, local_cards
    if product_fragment is not None:
        product_fragment.cache = shared_cache
    return results


def profile(page: str, count: int, cold_cards: bool) -> None:
    from django.test import Client

    from shop import cards, product_fragment

    if cold_cards:
        cards.cache, cards.local_cards = NoCards(), NoLocalCards()
        product_fragment.cache, product_fragment.local_products = NoLocalCards(), NoLocalCards()
    client = Client()
    url = pages()[page]
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=40, help="renders of each page per round (40)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (3); the best of them is reported")
    parser.add_argument("--languages", default="ru,kk,en", help="the pages are rendered in turn in these")
    parser.add_argument("--compare", type=Path, help="another checkout of the shop, measured alternately")
    parser.add_argument("--profile", choices=["category", "product"], help="cProfile that page instead")
    parser.add_argument("--cold-cards", action="store_true", help="with --profile: card and body caches empty")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    languages = args.languages.split(",")

    if args.child:
        setup(args.child)
        print(json.dumps(run_once(args.pages, languages)))
        return
    if args.profile:
        setup(HERE.parent)
        profile(args.profile, args.pages, args.cold_cards)
        return

    trees = {"this": HERE.parent}
    if args.compare:
        trees = {"before": args.compare.resolve(), "after": HERE.parent}
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.rounds):
        for label, root in trees.items():
            out = subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--child",
                    str(root),
                    "--pages",
                    str(args.pages),
                    "--languages",
                    args.languages,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            for name, ms in json.loads(out.strip().splitlines()[-1]).items():
                best.setdefault(label, {})[name] = min(ms, best.get(label, {}).get(name, float("inf")))
    print(f"{'page':26}" + "".join(f"{label + ' ms':>12}{'ratio':>8}" for label in trees))
    for name in best[next(iter(trees))]:
        row = f"{name:26}"
        for label in trees:
            ms = best[label][name]
            row += f"{ms:12.2f}{best[label]['hello'] / ms:8.3f}"
        print(row)
    print(f"best of {args.rounds} rounds of {args.pages} renders each, in {args.languages}; ratio: hello ms / page ms")


if __name__ == "__main__":
    main()
