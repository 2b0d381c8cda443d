"""Cached catalogue fragments with exact invalidation: every cache key carries the catalogue version, and any
change to a category, product, variant, image or page bumps it (shop/signals.py). Services that change stock
with queryset.update() (which sends no signal) must call bump_catalogue_version() themselves."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import translation

VERSION_KEY = "catalogue:version"
CSRF_PLACEHOLDER = "__csrf_token_placeholder__"


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh cache starts from the clock so no key from before a restart can be mistaken for current.
        version = int(time.time() * 1000)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_catalogue_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the next read starts a new one
        catalogue_version()
        cache.incr(VERSION_KEY)


def fragment_key(kind: str, request, *parts) -> str:
    """A key for one page's cacheable part: catalogue version, language, path and the sorted query string."""
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.lists()))
    raw = "|".join(str(p) for p in (kind, translation.get_language(), request.path, query, *parts))
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    return f"page:{catalogue_version()}:{kind}:{digest}"


def cached_fragment(key: str, build) -> dict:
    """Return the cached dict for `key`, building (and caching) it with `build()` on a miss."""
    fragment = cache.get(key)
    if fragment is None:
        fragment = build()
        cache.set(key, fragment, timeout=settings.SHOP_PAGE_CACHE_SECONDS)
    return fragment


def personalise(html: str, request) -> str:
    """Put this visitor's CSRF token into forms of a shared cached fragment."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html
