"""Product cards (the listing pages' and the home page's) as HTML fragments cached by what each card shows
(issue 15): its own version is a digest of the product's card data — name, brand, picture, prices, stock, the
SKU "Add to cart" puts in — with the language and the card template. A stock or price change re-renders that
one card and not the other 23 of a page, and nothing needs invalidating: changed data is a new key.

The card's URLs are built once per page (the product address from one reverse() with a slug placeholder); the
"Add to cart" form's way back (the page's address) is filled in after the cache, so one card serves every page.
Each process keeps the cards it used in memory too (an LRU in front of the shared cache)."""

import hashlib
from dataclasses import dataclass
from functools import cache as memoise
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .page_cache import LocalPages

CARD_TEMPLATE = "shop/_card.html"
CARD_FIELDS = (
    "pk", "slug", "name", "brand", "thumb", "thumb_renditions", "price_now", "price_regular", "has_stock",
    "cart_variant_id",
)  # fmt: skip
NEXT_PLACEHOLDER = "__card_next_placeholder__"
SLUG_PLACEHOLDER = "__card_slug_placeholder__"
SIZES_PLACEHOLDER = "__card_sizes_placeholder__"
LAZY = ' loading="lazy"'


@dataclass(frozen=True)
class Grid:
    """How wide a grid of cards shows their pictures (the <img>'s `sizes`) and how many cards its widest row holds
    (those are not loaded lazily: they are what the visitor sees first)."""

    sizes: str
    first_row: int


# Issue 16, item 8: worked out from static/css/shop.css — .wrap (1200px wide at most, 1rem padding), .listing (a
# 280px filter column and a 1.25rem gap from 800px), .grid (columns of at least 150px, 200px from 800px, 1rem
# gaps) and .card (.6rem padding and a 1px border: the picture is 21.2px narrower than its column). Change them
# together; tests/e2e/test_picture_sizes.py measures the pages in Chromium against these.
GRIDS = {
    # category and search pages: the grid beside the filters
    "listing": Grid(
        sizes="(min-width: 1200px) 184px, (min-width: 1180px) calc(25vw - 116px), "
        "(min-width: 964px) calc(33.33vw - 142px), (min-width: 800px) calc(50vw - 195px), "
        "(min-width: 680px) calc(25vw - 41px), (min-width: 514px) calc(33.33vw - 42px), "
        "(min-width: 348px) calc(50vw - 45px), calc(100vw - 53px)",
        first_row=4,
    ),
    # the home page: the grid across the whole width
    "wide": Grid(
        sizes="(min-width: 1200px) 200px, (min-width: 1096px) calc(20vw - 40px), (min-width: 880px) calc(25vw - 41px), "
        "(min-width: 800px) calc(33.33vw - 42px), (min-width: 680px) calc(25vw - 41px), "
        "(min-width: 514px) calc(33.33vw - 42px), (min-width: 348px) calc(50vw - 45px), calc(100vw - 53px)",
        first_row=5,
    ),
}


# Issue 15: a small in-process tier in front of the shared cache, as for pages: a listing's cards without a round trip.
local_cards = LocalPages(settings.SHOP_CARD_MEMORY_ENTRIES)


@memoise
def _template_digest() -> str:
    """Cards rendered by an older card template are not reused after a deploy that changed it."""
    template = get_template(CARD_TEMPLATE)
    source = Path(template.origin.name).read_bytes()
    return hashlib.sha1(source, usedforsecurity=False).hexdigest()[:12]


def card_key(product, language: str) -> str:
    raw = "|".join([_template_digest(), language, *(str(getattr(product, f, "")) for f in CARD_FIELDS)])
    return "card:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def render_cards(products, page_path: str, grid: str = "listing", below_the_fold: bool = False) -> SafeString:
    """The cards of `products` (annotated by shop.selectors.product_cards), from the cache where their data is
    unchanged: one round trip to the cache for the whole list, then only the missing cards rendered. Their
    pictures are sized for `grid` (GRIDS); those of its first row load at once, the others lazily — all of them
    when the grid is `below_the_fold`."""
    products = list(products)
    if not products:
        return mark_safe("")
    language = get_language()
    keys = [card_key(p, language) for p in products]
    found = {key: html for key in keys if (html := local_cards.get(key)) is not None}
    if len(found) < len(keys):
        shared = cache.get_many([key for key in keys if key not in found])
        for key, html in shared.items():
            local_cards.set(key, html, settings.SHOP_CARD_CACHE_SECONDS)
        found.update(shared)
    missing = {}
    if len(found) < len(keys):
        template = get_template(CARD_TEMPLATE)
        product_url = reverse("shop:product", kwargs={"slug": SLUG_PLACEHOLDER})
        add_url = reverse("orders:add")
        for key, product in zip(keys, products, strict=True):
            if key not in found and key not in missing:
                context = {
                    "p": product,
                    "product_url": product_url.replace(SLUG_PLACEHOLDER, product.slug),
                    "add_url": add_url,
                    "page_path": NEXT_PLACEHOLDER,
                    "card_sizes": SIZES_PLACEHOLDER,
                }
                missing[key] = template.render(context)
        cache.set_many(missing, timeout=settings.SHOP_CARD_CACHE_SECONDS)
        for key, html in missing.items():
            local_cards.set(key, html, settings.SHOP_CARD_CACHE_SECONDS)
    layout = GRIDS[grid]
    eager = 0 if below_the_fold else layout.first_row
    html = "".join(
        (found.get(key) or missing[key]).replace(LAZY, "", 1 if n < eager else 0) for n, key in enumerate(keys)
    )
    # The cards are made of escaped template output; the way back and the sizes are escaped here.
    html = html.replace(NEXT_PLACEHOLDER, escape(page_path)).replace(SIZES_PLACEHOLDER, escape(layout.sizes))
    return mark_safe(html)  # noqa: S308
