"""Cached catalogue pages with exact invalidation: every cache key carries the catalogue version, and any
change to a category, product, variant, image or page bumps it (shop/receivers.py). Services that change stock
with queryset.update() (which sends no signal) must call bump_catalogue_version() themselves.

A page is cached whole, for every visitor, with placeholders where it is personal (the account link and cart
count, flash messages, the CSRF token); `personalise()` fills them in for each request.

Two tiers: a small in-process LRU in front of the shared cache. With the catalogue version followed in memory
(shop/catalogue_version.py), a cached request touches neither the database nor Redis."""

import hashlib
import threading
import time
from collections import OrderedDict
from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation

from . import consent, hooks
from .catalogue_version import bump_catalogue_version, catalogue_version
from .context_processors import storefront

__all__ = ["bump_catalogue_version", "cached_page", "catalogue_version", "personalise", "render_shared_page"]

CSRF_PLACEHOLDER = "__csrf_token_placeholder__"


USER_NAV = "<!--personal:user-nav-->"
MESSAGES = "<!--personal:messages-->"


def page_key(kind: str, request, version: int) -> str:
    """A page's key: catalogue version, language, path and the sorted query string."""
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.lists()))
    raw = "|".join(str(p) for p in (kind, translation.get_language(), request.path, query))
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    return f"page:{version}:{kind}:{digest}"


class LocalPages:
    """A thread-safe, size-bounded LRU of rendered pages with the same lifetime as the shared cache."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1]

    def set(self, key: str, html: str, timeout: float) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + timeout, html)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


local_pages = LocalPages(settings.SHOP_PAGE_MEMORY_ENTRIES)


def cached_page(kind: str, request, build) -> str:
    """The shared page for this request, from memory, then the shared cache, else `build()` (and cached)."""
    key = page_key(kind, request, catalogue_version())
    html = local_pages.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = build()
            cache.set(key, html, timeout=settings.SHOP_PAGE_CACHE_SECONDS)
        local_pages.set(key, html, settings.SHOP_PAGE_CACHE_SECONDS)
    return html


def render_shared_page(template: str, context: dict, request) -> str:
    """Render a whole page the same for every visitor, with placeholders where it is personal."""
    shared = {**storefront(request), **context, "cache_placeholders": True, "csrf_placeholder": CSRF_PLACEHOLDER}
    return render_to_string(template, shared)  # no request: nothing personal can end up in the cache


@lru_cache(maxsize=512)
def _user_nav(language: str, signed_in: bool, count: int) -> str:
    """The header's account link and cart count depend on nothing else, so each variant is rendered once."""
    with translation.override(language):
        return render_to_string("_user_nav.html", {"user": {"is_authenticated": signed_in}, "cart_count": count})


def personalise(html: str, request) -> str:
    """Fill a shared page's placeholders for this visitor: account link and cart count, messages, the cookie
    banner and the analytics block (LEG-2: both follow the visitor's consent cookie), CSRF token."""
    signed_in = request.user.is_authenticated
    html = html.replace(USER_NAV, _user_nav(translation.get_language(), signed_in, hooks.cart_count(request)), 1)
    messages = get_messages(request)
    html = html.replace(MESSAGES, render_to_string("_messages.html", {"messages": messages}) if messages else "", 1)
    html = html.replace(consent.BANNER_PLACEHOLDER, consent.banner_html(request), 1)
    html = html.replace(consent.ANALYTICS_PLACEHOLDER, consent.analytics_html(request), 1)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html
