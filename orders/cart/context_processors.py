"""The header's cart count (ORD-1), read from the stored cart once per request and only when shown."""

from .selectors import cart_quantity

_CACHE_ATTR = "_cart_count"


def cart_count(request) -> int:
    """Sum of quantities in the visitor's cart; no query for an anonymous visitor without a session."""
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, cart_quantity(request))
    return getattr(request, _CACHE_ATTR)


def remember_cart_count(request, count: int) -> None:
    """A view that has just loaded the lines tells the header their sum, sparing it a query."""
    setattr(request, _CACHE_ATTR, count)


def cart(request):
    return {"cart_count": lambda: cart_count(request)}
