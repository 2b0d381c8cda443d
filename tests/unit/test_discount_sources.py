"""The discount registry's pure parts (CPN-2): an offer spread over the lines sums exactly to its amount, and the
better of several offers is the larger one, the first registered on a tie — never a choice among one."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from orders.discount_sources import Offer, better_offer

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2)


@given(lines=st.lists(money, min_size=1, max_size=12), fraction=st.fractions(min_value=0, max_value=1))
def test_cpn2_an_offer_spread_over_lines_sums_to_its_amount(lines, fraction):
    amount = (sum(lines) * fraction.numerator / fraction.denominator).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    offer = Offer.spread(kind="bonuses", amount=amount, over=lines)
    assert sum(offer.shares) == amount
    assert all(Decimal(0) <= share <= line for share, line in zip(offer.shares, lines, strict=True))


def test_cpn2_the_better_offer_is_the_larger_the_first_on_a_tie_and_none_alone():
    coupon = Offer(kind="coupon", amount=Decimal("2000"))
    bonuses = Offer(kind="bonuses", amount=Decimal("5000"))
    refused = Offer.refused(kind="bonuses", refusal="no bonuses")
    assert better_offer([coupon, bonuses]) is bonuses
    assert better_offer([coupon, Offer(kind="bonuses", amount=Decimal("2000"))]) is coupon
    assert better_offer([coupon]) is None
    assert better_offer([coupon, refused]) is None
    assert better_offer([]) is None
