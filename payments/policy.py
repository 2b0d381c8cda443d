"""Payment rules as plain functions (PAY-4, PAY-5): polling back-off and the decline reasons customers read."""

from datetime import timedelta

# Kaspi invoices are asked about every few seconds at first (the customer is paying now), then less often.
_BACKOFF_SECONDS = (5, 5, 10, 10, 20, 30, 60)


def next_check_delay(checks_made: int) -> timedelta:
    """How long to wait before asking the provider again, after `checks_made` asks."""
    index = min(max(checks_made, 0), len(_BACKOFF_SECONDS) - 1)
    return timedelta(seconds=_BACKOFF_SECONDS[index])
