"""The payment-method registry (PAY-1): adapters listed in ``SHOP_PAYMENT_ADAPTERS``, chosen per order.

Every adapter implements the same interface. The services (`payments.services`) own the state — locks,
idempotency, the order's side — and call an adapter only to talk to its provider:

- ``start(payment, request)`` → an `Action`: the customer's next step (a widget, a redirect, instructions);
- ``handle_notification(request, kind)`` → the HTTP answer to a provider's callback: authenticate it, check the
  amount and currency, and hand it to the services, which apply it once;
- ``refund(payment, amount, refund)`` → a `RefundResult` (full or partial, PAY-7);
- ``fetch_status(payment)`` → a `StatusResult`, for providers that are polled (Kaspi) and for double-checking
  callbacks that carry no signature (Epay).

Each adapter also declares its ``refund_channel`` (card / e-wallet / cash): the way its money goes back, which sets
the refund's legal deadline (REF-5, counted in `returns.policy.refund_deadline`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Action:
    """The customer's next step: a page to go to, a widget or form to render, or instructions to show."""

    kind: str  # "instructions" | "redirect" | "widget" | "wait"
    message: str = ""
    url: str = ""
    template: str = ""  # "widget"/"wait": rendered inside the payment page with `context`
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    provider_refund_id: str = ""
    message: str = ""


class RefundChannel(StrEnum):
    """How a payment method's money goes back to the customer (REF-4, REF-5). Each channel has its own legal
    refund deadline: a card within a few working days, an e-payment system (Kaspi and the like) and cash (cash on
    delivery included) within calendar days — the day counts are settings, the counting is `returns.policy`."""

    CARD = "card"
    EWALLET = "ewallet"
    CASH = "cash"


# Status of a payment at its provider, as an adapter reads it.
PAID, WAITING, DECLINED, UNKNOWN = "paid", "waiting", "declined", "unknown"


@dataclass(frozen=True)
class StatusResult:
    state: str  # PAID | WAITING | DECLINED | UNKNOWN
    amount: Decimal | None = None
    currency: str = ""
    transaction_id: str = ""
    reason_code: str = ""
    reason: str = ""
    raw: str = ""


class PaymentAdapter:
    code = ""
    label = ""
    # Cash on delivery: the money comes at the door, so the order is assembled without a "paid" step.
    pays_on_delivery = False
    # Online adapters take the money before the order is assembled; the customer goes to the payment page.
    online = False
    # The provider is asked about open payments (Kaspi) rather than calling us.
    polls = False
    # The customer gives a phone number to pay with (Kaspi).
    asks_phone = False
    # Shown on the result page while the payment is open (e.g. the sandbox's "open the Kaspi app" link).
    waiting_template = ""
    # REF-5: the way refunds of this method go back, which sets their deadline. Card by default: the shortest
    # deadline, so an adapter that forgets to declare its channel can only make a refund early, never late.
    refund_channel: RefundChannel = RefundChannel.CARD

    def is_available(self, *, amount: Decimal, delivery_method: str) -> bool:
        return True

    def instructions(self, order) -> str:
        """What the order page and the "received" mail say about paying (offline methods)."""
        return ""

    def start(self, payment, request=None) -> Action:
        raise NotImplementedError

    def handle_notification(self, request, kind: str) -> HttpResponse:
        return HttpResponse(status=404)

    def refund(self, payment, amount: Decimal, refund) -> RefundResult:
        return RefundResult(ok=False, message="refunds are not supported by this method")

    def fetch_status(self, payment) -> StatusResult:
        return StatusResult(state=UNKNOWN)


_building = threading.Lock()


@lru_cache(maxsize=8)
def _built(paths: tuple[str, ...]) -> dict[str, PaymentAdapter]:
    adapters = {}
    for path in paths:
        adapter = import_string(path)()
        adapters[adapter.code] = adapter
    return adapters


def _adapters(paths: tuple[str, ...]) -> dict[str, PaymentAdapter]:
    """One set of adapter instances per process: built under a lock, because lru_cache alone lets two threads
    that arrive at once each build their own, and checkout compares the chosen adapter with the available ones by
    identity (found by a test placing two orders at the same instant in a fresh process)."""
    with _building:
        return _built(paths)


def all_adapters() -> dict[str, PaymentAdapter]:
    return _adapters(tuple(settings.SHOP_PAYMENT_ADAPTERS))


def get_adapter(code: str) -> PaymentAdapter | None:
    return all_adapters().get(code)


def available_methods(*, amount: Decimal, delivery_method: str) -> list[PaymentAdapter]:
    """The methods a customer may choose for this order, in the settings' order."""
    return [a for a in all_adapters().values() if a.is_available(amount=amount, delivery_method=delivery_method)]
