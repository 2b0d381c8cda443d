"""Payment rules as plain functions (PAY-4, PAY-5): polling back-off and the decline reasons customers read."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation


def next_check_delay(checks_made: int) -> timedelta:
    """How long to wait before asking the provider again, after `checks_made` asks: every few seconds at first
    (the customer is paying now), then less often. The steps live inside the function so that mutation testing
    reaches each of them."""
    backoff_seconds = (5, 5, 10, 10, 20, 30, 60)
    index = min(max(checks_made, 0), len(backoff_seconds) - 1)
    return timedelta(seconds=backoff_seconds[index])


def parse_amount(value) -> Decimal | None:
    """A provider's amount ("12990.00", "12990" or a JSON number) as a Decimal; None when it is not money (empty,
    a boolean, text, NaN or infinity) — compared with our own amounts, never trusted blindly."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def card_last4(value) -> str:
    """The last four digits of a card as a provider shows it ("4242", CloudPayments' CardLastFour; "440043******4242",
    Epay's cardMask), or "" when they are not four digits: nothing else of the card number is ever kept."""
    text = str(value or "").strip() if not isinstance(value, bool) else ""
    tail = text[-4:]
    return tail if len(tail) == 4 and tail.isascii() and tail.isdigit() else ""
