"""What happens to an order, announced to the apps above orders (payments, loyalty, returns) once it is committed.

orders never imports those apps: it sends these signals and they listen in their ``receivers.py``. Every signal is
sent after the transaction that made the change commits (never for a change that rolled back), with keyword
arguments:

- ``order``: the `Order` as it was committed;
- ``lines``: its `OrderLine`s (frozen prices, paid totals, discount shares, CAT-2 flags), read once per send and
  only when someone listens;
- ``actor``: who did it (a user, or None for the customer's guest session or the system);
- ``reason``: why, where there is one (cancellation, refusal).

A receiver that fails is logged and does not stop the others; the work a receiver does must be idempotent and
have a sweep behind it (a signal is the fast path, not the only one)."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

order_placed = Signal()  # ORD-2: the cart became an order, its stock reserved
order_confirmed = Signal()  # ORD-5: the shop accepted it; the contract exists
order_paid = Signal()  # the money was received: online, or cash collected at the door (``amount``)
order_shipped = Signal()  # handed to the carrier (``tracking_number``)
order_delivered = Signal()  # handed over to the customer (RET-1's and LOY-6's clocks start)
order_cancelled = Signal()  # by support, by the shop's refusal or an expired payment; stock released
order_refused = Signal()  # the customer refused the parcel at delivery; stock released


def send_after_commit(signal: Signal, *, order, actor=None, **extra) -> None:
    """Queue `signal` for when the current transaction commits (at once outside one)."""

    def send():
        if not signal.has_listeners(sender=type(order)):
            return
        lines = tuple(order.lines.all().order_by("id"))
        results = signal.send_robust(sender=type(order), order=order, lines=lines, actor=actor, **extra)
        for receiver, result in results:
            if isinstance(result, Exception):
                logger.error(
                    "receiver %s of an order signal failed for order %s",
                    getattr(receiver, "__qualname__", receiver),
                    order.number,
                    exc_info=result,
                )

    transaction.on_commit(send)
