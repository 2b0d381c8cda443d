"""The payment-method registry (PAY-1): adapters listed in ``SHOP_PAYMENT_ADAPTERS``, chosen per order.

An adapter says whether it may serve an order (amount, delivery method) and what happens next; the payments
issue adds the online adapters (Epay, Kaspi, CloudPayments) behind this same interface."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Action:
    """The customer's next step after placing the order: a page to go to, or instructions to show."""

    kind: str  # "instructions" | "redirect" | "widget"
    message: str = ""
    url: str = ""


class PaymentAdapter:
    code = ""
    label = ""
    # Cash on delivery: the money comes at the door, so the order is assembled without a "paid" step.
    pays_on_delivery = False

    def is_available(self, *, amount: Decimal, delivery_method: str) -> bool:
        return True

    def start(self, order) -> Action:
        raise NotImplementedError


@lru_cache(maxsize=8)
def _adapters(paths: tuple[str, ...]) -> dict[str, PaymentAdapter]:
    adapters = {}
    for path in paths:
        adapter = import_string(path)()
        adapters[adapter.code] = adapter
    return adapters


def all_adapters() -> dict[str, PaymentAdapter]:
    return _adapters(tuple(settings.SHOP_PAYMENT_ADAPTERS))


def get_adapter(code: str) -> PaymentAdapter | None:
    return all_adapters().get(code)


def available_methods(*, amount: Decimal, delivery_method: str) -> list[PaymentAdapter]:
    """The methods a customer may choose for this order, in the settings' order."""
    return [a for a in all_adapters().values() if a.is_available(amount=amount, delivery_method=delivery_method)]
