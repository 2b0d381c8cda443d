"""ORD-5/ORD-6 order states as pure rules: the transition table, what staff may choose next, what the customer may
still cancel, and which endings put the stock back (ORD-4)."""

import pytest

from orders import policy
from orders.models import OrderStatus
from orders.policy import (
    ASSEMBLING,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    CUSTOMER_CANCELLABLE,
    DELIVERED,
    PAID,
    PLACED,
    REFUSED,
    RELEASES_STOCK,
    SHIPPED,
    TRANSITIONS,
    can_transition,
    next_statuses,
)

ALL = (PLACED, CONFIRMED, PAID, ASSEMBLING, SHIPPED, DELIVERED, COMPLETED, CANCELLED, REFUSED)
FINAL = (COMPLETED, CANCELLED, REFUSED)


def test_ord5_policy_states_are_the_model_states():
    """ORD-5: the pure rules and the Order.status choices name the same nine states."""
    assert set(ALL) == set(OrderStatus.values) == set(TRANSITIONS)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (PLACED, CONFIRMED),
        (PLACED, CANCELLED),
        (CONFIRMED, PAID),
        (CONFIRMED, ASSEMBLING),
        (CONFIRMED, CANCELLED),
        (PAID, ASSEMBLING),
        (PAID, CANCELLED),
        (ASSEMBLING, SHIPPED),
        (ASSEMBLING, CANCELLED),
        (SHIPPED, DELIVERED),
        (SHIPPED, REFUSED),
        (DELIVERED, COMPLETED),
    ],
)
def test_ord5_allowed_transitions(current, target):
    assert can_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (PLACED, PAID),  # the contract exists only once the shop confirms
        (PLACED, SHIPPED),
        (PLACED, ASSEMBLING),
        (CONFIRMED, SHIPPED),
        (PAID, CONFIRMED),  # never backwards
        (ASSEMBLING, DELIVERED),
        (SHIPPED, CANCELLED),  # shipped goods are refused at delivery or returned, not cancelled (ORD-6)
        (DELIVERED, REFUSED),
        (DELIVERED, CANCELLED),
        (PLACED, PLACED),  # no transition to itself
        (CONFIRMED, CONFIRMED),
    ],
)
def test_ord5_forbidden_transitions(current, target):
    assert not can_transition(current, target)


@pytest.mark.parametrize("final", FINAL)
def test_ord5_final_states_lead_nowhere(final):
    assert TRANSITIONS[final] == frozenset()
    assert next_statuses(final, pays_on_delivery=True) == []
    assert next_statuses(final, pays_on_delivery=False) == []


def test_ord5_unknown_status_leads_nowhere():
    assert not can_transition("lost", CONFIRMED)
    assert next_statuses("lost", pays_on_delivery=False) == []


def test_ord5_every_state_is_reachable_from_placed():
    seen, frontier = {PLACED}, [PLACED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(ALL)


def test_ord5_online_payment_passes_through_paid():
    """PAY-1/ORD-5: an online order is paid before it is assembled; staff are not offered to skip it."""
    assert next_statuses(CONFIRMED, pays_on_delivery=False) == [PAID, CANCELLED]
    assert next_statuses(PAID, pays_on_delivery=False) == [ASSEMBLING, CANCELLED]


def test_ord5_cash_on_delivery_skips_paid():
    """PAY-1/ORD-5: cash on delivery is assembled without a "paid" step (it is paid at the door)."""
    assert next_statuses(CONFIRMED, pays_on_delivery=True) == [ASSEMBLING, CANCELLED]


@pytest.mark.parametrize("pays_on_delivery", [True, False])
def test_ord5_next_statuses_follow_the_flow_in_order(pays_on_delivery):
    assert next_statuses(PLACED, pays_on_delivery=pays_on_delivery) == [CONFIRMED, CANCELLED]
    assert next_statuses(ASSEMBLING, pays_on_delivery=pays_on_delivery) == [SHIPPED, CANCELLED]
    assert next_statuses(SHIPPED, pays_on_delivery=pays_on_delivery) == [DELIVERED, REFUSED]
    assert next_statuses(DELIVERED, pays_on_delivery=pays_on_delivery) == [COMPLETED]


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("pays_on_delivery", [True, False])
def test_ord5_next_statuses_are_always_allowed_transitions(current, pays_on_delivery):
    options = next_statuses(current, pays_on_delivery=pays_on_delivery)
    assert all(can_transition(current, target) for target in options)
    assert len(options) == len(set(options))
    # only the paid/assembling choice after confirmation is narrowed down
    dropped = set(TRANSITIONS[current]) - set(options)
    assert dropped == ({PAID if pays_on_delivery else ASSEMBLING} if current == CONFIRMED else set())


def test_ord6_customer_may_ask_to_cancel_until_the_goods_leave():
    """ORD-6: cancellation may be asked for until the order is shipped; after that it is refused at the door or
    returned (RET-1)."""
    assert {PLACED, CONFIRMED, PAID, ASSEMBLING} == CUSTOMER_CANCELLABLE
    assert all(can_transition(status, CANCELLED) for status in CUSTOMER_CANCELLABLE)
    assert not any(can_transition(status, CANCELLED) for status in set(ALL) - CUSTOMER_CANCELLABLE)


def test_ord4_cancelled_and_refused_orders_release_their_stock():
    """ORD-4: the goods go back on the shelf only when an order ends without reaching the customer."""
    assert {CANCELLED, REFUSED} == RELEASES_STOCK
    assert COMPLETED not in RELEASES_STOCK and DELIVERED not in RELEASES_STOCK


def test_ord5_transition_table_is_not_mutable_by_accident():
    assert all(isinstance(targets, frozenset) for targets in policy.TRANSITIONS.values())
