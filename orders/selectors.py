"""Read queries about orders used by other apps: the orders issue fills them in as its tables appear."""


def has_received_product(*, user, product) -> bool:
    """True when `user` has an order containing `product` that was delivered to them (CAT-4: only customers
    who bought and received a product may review it).

    This is the hook the orders issue completes: once orders exist it must return True exactly when the user
    has an order in a delivered (or later, e.g. completed) state with a line for any variant of `product`.
    Until then nobody has received anything, so it returns False; the review rules are tested by replacing
    this function in fixtures (tests/integration/test_reviews.py)."""
    return False
