"""The return request's state table (RET-3..8) and REF-1 over any sequence of partial returns, without a database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns import policy


def test_ret5_ret7_the_happy_path_and_its_alternatives():
    state = policy.SUBMITTED
    for action, expected in (
        (policy.SHIP, policy.AWAITING_GOODS),
        (policy.RECEIVE, policy.RECEIVED),
        (policy.ACCEPT, policy.ACCEPTED),
        (policy.REFUND, policy.REFUNDED),
    ):
        state = policy.next_state(state, action)
        assert state == expected
    assert policy.next_state(policy.RECEIVED, policy.REJECT) == policy.REJECTED
    assert policy.next_state(policy.RECEIVED, policy.EXCHANGE) == policy.EXCHANGED
    assert policy.next_state(policy.SUBMITTED, policy.LAPSE) == policy.LAPSED
    assert policy.next_state(policy.SUBMITTED, policy.CANCEL) == policy.CANCELLED


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (policy.AWAITING_GOODS, policy.CANCEL),  # cancelled only before the goods are sent
        (policy.AWAITING_GOODS, policy.LAPSE),  # sent in time: never lapses
        (policy.SUBMITTED, policy.ACCEPT),  # no inspection without the goods
        (policy.REFUNDED, policy.REFUND),
        (policy.REJECTED, policy.ACCEPT),
        (policy.LAPSED, policy.RECEIVE),
    ],
)
def test_moves_outside_the_table_are_refused(state, action):
    with pytest.raises(policy.NotAllowed):
        policy.next_state(state, action)


def test_ret6_refund_on_proof_of_shipment_only_with_the_switch():
    with pytest.raises(policy.NotAllowed):
        policy.next_state(policy.AWAITING_GOODS, policy.ACCEPT_ON_PROOF)
    assert policy.ACCEPT_ON_PROOF not in policy.allowed_actions(policy.AWAITING_GOODS)
    assert (
        policy.next_state(policy.AWAITING_GOODS, policy.ACCEPT_ON_PROOF, refund_on_proof_of_shipment=True)
        == policy.ACCEPTED
    )


@given(
    paid_tiyn=st.integers(min_value=0, max_value=10**10),
    quantity=st.integers(min_value=1, max_value=50),
    data=st.data(),
)
def test_ref1_any_sequence_of_partial_returns_never_exceeds_and_sums_to_what_the_line_paid(paid_tiyn, quantity, data):
    paid = Decimal(paid_tiyn) / 100
    returned, total = 0, Decimal("0.00")
    while returned < quantity:
        units = data.draw(st.integers(min_value=1, max_value=quantity - returned))
        total += policy.refund_for_units(paid, quantity, returned, units)
        returned += units
        assert total <= paid
    assert total == paid
