"""Cached catalogue pages with exact invalidation: every cache key carries the catalogue version, and any
change to a category, product, variant, image or page bumps it (shop/signals.py). Services that change stock
with queryset.update() (which sends no signal) must call bump_catalogue_version() themselves.

A page is cached whole, for every visitor, with placeholders where it is personal (the account link and cart
count, flash messages, the CSRF token); `personalise()` fills them in for each request."""

import hashlib
import time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
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


USER_NAV = "<!--personal:user-nav-->"
MESSAGES = "<!--personal:messages-->"


def fragment_key(kind: str, request, *parts) -> str:
    """A key for one page's cacheable part: catalogue version, language, path and the sorted query string."""
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.lists()))
    raw = "|".join(str(p) for p in (kind, translation.get_language(), request.path, query, *parts))
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    return f"page:{catalogue_version()}:{kind}:{digest}"


def cached_fragment(key: str, build):
    """Return the cached value for `key`, building (and caching) it with `build()` on a miss."""
    fragment = cache.get(key)
    if fragment is None:
        fragment = build()
        cache.set(key, fragment, timeout=settings.SHOP_PAGE_CACHE_SECONDS)
    return fragment


def render_shared_page(template: str, context: dict, request) -> str:
    """Render a whole page the same for every visitor, with placeholders where it is personal."""
    from .context_processors import storefront

    shared = {**storefront(request), **context, "cache_placeholders": True, "csrf_placeholder": CSRF_PLACEHOLDER}
    return render_to_string(template, shared)  # no request: nothing personal can end up in the cache


def personalise(html: str, request) -> str:
    """Fill a shared page's placeholders for this visitor: account link and cart count, messages, CSRF token."""
    from orders.context_processors import cart_count

    user_nav = render_to_string("_user_nav.html", {"user": request.user, "cart_count": cart_count(request)})
    html = html.replace(USER_NAV, user_nav, 1)
    messages = get_messages(request)
    html = html.replace(MESSAGES, render_to_string("_messages.html", {"messages": messages}) if messages else "", 1)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return html
