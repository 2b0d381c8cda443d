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
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

from . import consent, hooks
from .catalogue_version import bump_catalogue_version, catalogue_version
from .context_processors import storefront

__all__ = [
    "bump_catalogue_version", "cached_page", "catalogue_version", "page_path", "personalise", "render_shared_page",
    "shared_fragment", "understands",
]

CSRF_PLACEHOLDER = "__csrf_token_placeholder__"


USER_NAV = "<!--personal:user-nav-->"
MESSAGES = "<!--personal:messages-->"


# Issue 15: what each kind of query parameter means to a page, so that equal meanings give one cache entry.
LISTING_PARAMETERS = {
    "page": "page", "sort": "text", "min_price": "text", "max_price": "text", "in_stock": "flag", "on_sale": "flag",
    "brand": "set",
}  # fmt: skip
SEARCH_PARAMETERS = {"q": "text", **LISTING_PARAMETERS}
FALSE_FLAGS = ("", "0", "false", "False")  # what Django's BooleanField reads as unticked


def understood_query(request, parameters: dict[str, str]) -> QueryDict:
    """The query parameters a page understands, normalised: unknown ones dropped, values stripped, empty ones
    left out, one value per single-valued parameter (the last, as QueryDict.get reads it), a brand list sorted
    and without repeats, a ticked box as "on", a page number as a plain number (any other value shows page 1,
    as no value does)."""
    query = QueryDict(mutable=True)
    for name, kind in parameters.items():
        values = [v.strip() for v in request.GET.getlist(name)]
        if kind == "set":
            query.setlist(name, sorted({v for v in values if v}))
        elif not values:
            continue
        elif kind == "flag":
            if values[-1] not in FALSE_FLAGS:
                query[name] = "on"
        elif kind == "page":
            if values[-1].isascii() and values[-1].isdigit() and int(values[-1]) > 1:
                query[name] = str(int(values[-1]))
        elif values[-1]:
            query[name] = values[-1]
    query._mutable = False
    return query


def understands(parameters: dict[str, str] | None = None):
    """A shared page's view sees only the query parameters it understands (normalised): the page and its cache
    key follow them alone, so `?utm_source=…` or a random parameter neither changes the page nor adds an entry."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.GET = understood_query(request, parameters or {})
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def page_path(request) -> str:
    """The page's own address as its (normalised) parameters give it: where "Add to cart" comes back to."""
    query = request.GET.urlencode()
    return f"{request.path}?{query}" if query else request.path


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

    def fetch(self, key: str, build, timeout: float, shared):
        """The value from this process, then from `shared` (a Django cache), else `build()`; kept in both."""
        value = self.get(key)
        if value is None:
            value = shared.get(key)
            if value is None:
                value = build()
                shared.set(key, value, timeout=timeout)
            self.set(key, value, timeout)
        return value


local_pages = LocalPages(settings.SHOP_PAGE_MEMORY_ENTRIES)
# Issue 15: parts of pages kept in each process by all that decides them (shared_fragment), so that a page made cold
# by a catalogue change (a stock change, say) re-renders only what that change touched.
local_fragments = LocalPages(settings.SHOP_PAGE_MEMORY_ENTRIES)


def cached_page(kind: str, request, build) -> str:
    """The shared page for this request, from memory, then the shared cache, else `build()` (and cached).
    With SHOP_PAGE_CACHE off, always `build()`: the cold path, for measuring and testing it."""
    if not settings.SHOP_PAGE_CACHE:
        return build()
    key = page_key(kind, request, catalogue_version())
    return local_pages.fetch(key, build, settings.SHOP_PAGE_CACHE_SECONDS, shared=cache)


def shared_fragment(name: str, decided_by, build) -> str:
    """A fragment the same for every visitor, from this process's memory, else `build()`: `decided_by` must hold
    all that the fragment shows besides its template and the language (the data, the address, the parameters),
    as values with a stable repr(). Its key is not the catalogue version, so it is kept across catalogue changes
    that don't touch it, and with SHOP_PAGE_CACHE off."""
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())  # what {% url %} inside it builds on
    digest = hashlib.sha1(repr((name, decided_by, where)).encode(), usedforsecurity=False).hexdigest()
    key = f"{translation.get_language()}:{digest}"
    html = local_fragments.get(key)
    if html is None:
        html = build()
        local_fragments.set(key, html, settings.SHOP_PAGE_CACHE_SECONDS)
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
