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

from django.dispatch import Signal

from base.signals import send_after_commit as _send_after_commit

order_placed = Signal()  # ORD-2: the cart became an order, its stock reserved
order_confirmed = Signal()  # ORD-5: the shop accepted it; the contract exists
order_paid = Signal()  # the money was received: online, or cash collected at the door (``amount``)
order_shipped = Signal()  # handed to the carrier; the order carries its tracking number
order_delivered = Signal()  # handed over to the customer (RET-1's and LOY-6's clocks start)
order_cancelled = Signal()  # by support, by the shop's refusal or an expired payment; stock released
order_refused = Signal()  # the customer refused the parcel at delivery; stock released


def send_after_commit(signal: Signal, *, order, actor=None, **extra) -> None:
    """Queue `signal` for when the current transaction commits, with the order's lines read only if someone
    listens."""
    _send_after_commit(
        signal,
        sender=type(order),
        about=f"order {order.number}",
        lazy={"lines": lambda: tuple(order.lines.all().order_by("id"))},
        order=order,
        actor=actor,
        **extra,
    )
