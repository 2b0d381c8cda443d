"""What happens to money, announced to the apps above payments (returns) once it is committed.

payments never imports those apps: a refund carries the caller's opaque ``reference`` (e.g. "returns.refund:17")
and `refund_completed` hands it back, so the caller settles its own records. Sent after commit with keyword
arguments ``payment`` (the `Payment`) and, for refunds, ``refund`` (the `PaymentRefund`). A receiver that fails is
logged and does not stop the others."""

from django.dispatch import Signal

from base.signals import send_after_commit as _send_after_commit

payment_captured = Signal()  # the provider took the money and the order accepted it
refund_completed = Signal()  # the provider confirmed a refund (ours, or one made in its cabinet)


def send_after_commit(signal: Signal, *, payment, **extra) -> None:
    """Queue `signal` for when the current transaction commits."""
    _send_after_commit(signal, sender=type(payment), about=f"payment {payment.invoice_id}", payment=payment, **extra)
