"""The product page's body (gallery, name, prices, variants, stock, reviews: shop/_product.html with its title and
meta description) as a fragment cached by what it shows (issue 15, item 3), as product cards are (shop/cards.py).

Its key is a digest of the product's own data, read by one query: the product and category rows, every variant
(prices, stock, SKU), every image, the approved reviews with their authors' shown names — with the breadcrumbs, the
language, the templates and the settings the fragment reads. A stock or price change, a new approved review or a
changed image is a new key (also when stock changed through queryset.update(), which sends no signal), so nothing
needs invalidating. The fragment is rendered without the request, as every shared fragment: the CSRF token stays
a placeholder that `personalise()` fills in per visitor, and nothing about the visitor (cart, own review) is in it.

Two tiers like cards: an LRU in each process in front of the shared cache. PostgreSQL only (the digest is computed
by the database); elsewhere the page is rendered every time."""

import hashlib
from functools import cache as memoise
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from .models import Category, Product, ProductImage, Review, Variant
from .page_cache import LocalPages

TEMPLATES = ("shop/_product.html", "shop/_breadcrumbs.html")

local_products = LocalPages(settings.SHOP_PRODUCT_MEMORY_ENTRIES)


@memoise
def _template_digest() -> str:
    """Fragments rendered by older templates are not reused after a deploy that changed them."""
    digest = hashlib.sha1(usedforsecurity=False)
    for name in TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:12]


@memoise
def _stamp_sql() -> str:
    """One row for an active product of an active category: its id, its category's id, a digest of all the rows
    its page shows (row(...)::text: every column, in a stable order) and how many approved reviews it has."""
    user = Review._meta.get_field("user").related_model._meta
    return f"""
        SELECT p.id, p.category_id, md5(concat_ws('|',
            row(p.*)::text, row(c.*)::text,
            (SELECT string_agg(row(v.*)::text, '|' ORDER BY v.id) FROM {Variant._meta.db_table} v
             WHERE v.product_id = p.id),
            (SELECT string_agg(row(i.*)::text, '|' ORDER BY i.id) FROM {ProductImage._meta.db_table} i
             WHERE i.product_id = p.id),
            (SELECT string_agg(concat_ws('|', row(r.*)::text, u.first_name, u.full_name), '|' ORDER BY r.id)
             FROM {Review._meta.db_table} r JOIN {user.db_table} u ON u.{user.pk.column} = r.user_id
             WHERE r.product_id = p.id AND r.status = %s)
        )),
        (SELECT count(*) FROM {Review._meta.db_table} r WHERE r.product_id = p.id AND r.status = %s)
        FROM {Product._meta.db_table} p JOIN {Category._meta.db_table} c ON c.id = p.category_id
        WHERE p.slug = %s AND p.is_active AND c.is_active
    """  # noqa: S608 (table names from the models; values as parameters)


def enabled() -> bool:
    return settings.SHOP_PRODUCT_FRAGMENT_CACHE and connection.vendor == "postgresql"


def product_stamp(slug: str) -> tuple[int, int, str, int] | None:
    """(product id, category id, digest of what its page shows, approved reviews), or None when there is no such
    active product."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [Review.Status.APPROVED, Review.Status.APPROVED, slug])
        return cursor.fetchone()


def fragment_key(stamp: tuple[int, int, str, int], breadcrumbs) -> str:
    language = get_language()
    decided_by = (
        _template_digest(),
        language,
        stamp,
        [(n.id, n.slug, n.name(language)) for n in breadcrumbs],
        settings.SHOP_WITHDRAWAL_DAYS,
        settings.SHOP_PRODUCT_PAGE_REVIEWS,
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
    )
    return "product:" + hashlib.sha1(repr(decided_by).encode(), usedforsecurity=False).hexdigest()


def cached_fragment(key: str, build) -> dict:
    """The fragment ({"title", "meta_description", "main"}) from this process, then the shared cache, else
    `build()` and kept in both."""
    return local_products.fetch(key, build, settings.SHOP_PRODUCT_CACHE_SECONDS, shared=cache)
