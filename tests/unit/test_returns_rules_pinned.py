"""Returns and refund rules that no example pinned down until mutation testing (`make mutation`, issue 16) showed
a changed rule still passing: every deadline counted in the zone it is given — not the zone Django runs in
(RET-1, RET-5, REF-5, CPN-3) — and the refusals that name the value at fault (REF-1, REF-2, RET-2, RET-3)."""

from datetime import date, datetime, tzinfo
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from base.workdays import WorkingCalendar
from returns import policy
from returns.policy import DayCount, Refusal

# Two hours behind Almaty in December: 23:30 in Sofia is already the next day in Almaty (Django's zone).
SOFIA = ZoneInfo("Europe/Sofia")
KZ = WorkingCalendar()


def sofia(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SOFIA)


def test_ret1_the_withdrawal_period_counts_from_the_delivery_day_in_the_zone_given():
    assert policy.withdrawal_last_day(sofia(1, 23, 30), days=14, tz=SOFIA) == date(2026, 12, 15)


def test_ret5_the_send_back_deadline_and_its_lapse_in_the_zone_given():
    assert policy.send_back_deadline(sofia(2, 23, 30), days=14, tz=SOFIA) == date(2026, 12, 16)
    # requested at noon on 2 December: the last day is 16 December, all of it in Sofia
    assert not policy.send_back_lapsed(sofia(2, 12), sofia(16, 23, 30), days=14, tz=SOFIA)
    # requested late on 2 December (already the 3rd in Almaty): lapsed on the 17th in Sofia
    assert policy.send_back_lapsed(sofia(2, 23, 30), sofia(17, 12), days=14, tz=SOFIA)


def test_ref5_the_refund_deadline_counts_from_the_claims_day_in_the_zone_given():
    deadline = policy.refund_deadline(
        sofia(2, 23, 30),
        channel=policy.CASH,
        days_by_channel={policy.CASH: DayCount(days=10, working=False)},
        calendar=KZ,
        tz=SOFIA,
    )
    assert deadline == date(2026, 12, 12)


def test_ref5_an_unknown_channel_is_named_in_the_refusal():
    with pytest.raises(ValueError, match=r"^no refund period for the channel 'barter'$"):
        policy.refund_deadline(sofia(2, 12), channel="barter", days_by_channel={}, calendar=KZ, tz=SOFIA)


def test_cpn3_the_coupon_window_counts_delivery_and_request_in_the_zone_given():
    def reactivates(requested_at):
        return policy.coupon_reactivates(
            whole_purchase_returned=True,
            reason_is_defect=True,
            delivered_at=sofia(1, 23, 30),
            requested_at=requested_at,
            days=14,
            tz=SOFIA,
        )

    assert reactivates(sofia(15, 23, 30))  # the last day, in Sofia
    assert not reactivates(sofia(16, 0, 30))  # the day after, in Sofia


def test_ref2_negative_delivery_amounts_are_refused_by_name():
    with pytest.raises(ValueError, match=r"^delivery paid must not be negative$"):
        policy.delivery_refund(
            delivery_paid=Decimal("-1"), defective=True, full_withdrawal=False, refund_delivery_on_full_withdrawal=False
        )
    with pytest.raises(ValueError, match=r"^delivery already refunded must not be negative$"):
        policy.delivery_refund(
            delivery_paid=Decimal("1500"),
            defective=True,
            full_withdrawal=False,
            refund_delivery_on_full_withdrawal=False,
            already_refunded=Decimal("-1"),
        )


def test_ret3_negative_quantities_are_refused_by_name():
    with pytest.raises(ValueError, match=r"^quantities must not be negative$"):
        policy.returnable_quantity(-1, 0)


def test_ref1_nothing_returned_refunds_zero_tenge_to_the_tiyn():
    assert str(policy.goods_refund([])) == "0.00"


def test_ret2_a_non_returnable_line_without_a_reason_is_refused_with_an_empty_reason():
    assert policy.returnable_refusal(returnable=False) == Refusal(code=policy.NOT_RETURNABLE, reason="")
    assert policy.returnable_refusal(returnable=True) is None


class NoOffset(tzinfo):
    """A time zone that knows no offset: such a datetime is as good as naive."""

    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None


def test_ret1_a_zone_without_an_offset_is_refused_like_a_naive_time():
    with pytest.raises(
        ValueError, match=r"^an aware datetime is required \(the day depends on the shop's time zone\)$"
    ):
        policy.withdrawal_last_day(datetime(2026, 12, 1, 12, 0, tzinfo=NoOffset()), days=14, tz=SOFIA)


D = Decimal


@pytest.mark.parametrize(
    ("refund", "message"),
    [
        (lambda: policy.unit_refunds(D("10.00"), 0), r"^a line has at least one unit$"),
        (lambda: policy.unit_refunds(D("-1.00"), 1), r"^paid total must not be negative$"),
        (lambda: policy.refund_for_units(D("10.00"), 0, 0, 0), r"^a line has at least one unit$"),
        (lambda: policy.refund_for_units(D("10.00"), 2, -1, 1), r"^unit counts must not be negative$"),
        (lambda: policy.refund_for_units(D("10.00"), 2, 0, -1), r"^unit counts must not be negative$"),
        (lambda: policy.refund_for_units(D("10.00"), 2, 1, 2), r"^more units returned than the line has$"),
        (lambda: policy.refund_for_units(D("-1.00"), 2, 0, 1), r"^paid total must not be negative$"),
        (lambda: policy.refund_after_deductions(D("-1.00"), []), r"^amount must not be negative$"),
        # a deduction that skipped its own checks is still refused, by name
        (
            lambda: policy.refund_after_deductions(D("10.00"), [SimpleNamespace(amount=D("-1.00"))]),
            r"^deduction must not be negative$",
        ),
        (lambda: policy.Deduction(amount=D("-1.00"), reason="scratch"), r"^deduction must not be negative$"),
        (lambda: policy.Deduction(amount=D("1.00"), reason="  "), r"^a deduction needs its reason$"),
    ],
)
def test_ref1_ret7_a_refused_refund_names_what_is_wrong(refund, message):
    with pytest.raises(ValueError, match=message):
        refund()
