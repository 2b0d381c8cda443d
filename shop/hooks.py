"""Answers the storefront needs from the apps above it, found through settings so that shop imports none of them.

The orders app sits above shop (it sells shop's variants), yet two storefront features depend on it: the cart
count in the header of every cached page, and CAT-4's "only customers who bought and received the product may
review it". Each is a dotted path in the settings, loaded once per value (like the payment adapters):

- ``SHOP_CART_COUNT``: ``callable(request) -> int``, the number of items in the visitor's cart;
- ``SHOP_REVIEW_ELIGIBILITY``: ``callable(*, user, product) -> bool``, whether `user` received `product`.
"""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string


@lru_cache(maxsize=8)
def _load(path: str) -> Callable:
    return import_string(path)


def cart_count(request) -> int:
    """The header's cart count for this visitor (ORD-1)."""
    return _load(settings.SHOP_CART_COUNT)(request)


def has_received_product(*, user, product) -> bool:
    """CAT-4: True when `user` bought `product` and it was delivered to them."""
    return _load(settings.SHOP_REVIEW_ELIGIBILITY)(user=user, product=product)
