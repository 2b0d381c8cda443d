"""Order and delivery rules that no example pinned down until mutation testing (`make mutation`, issue 16) showed a
changed rule still passing: express hours over midnight (DLV-1), the cut-off and the shop's own time zone in the
ETA (ORD-8, DLV-4), the first kilogram over the heavy threshold and half-up rounding (DLV-2, CPN-2), the
largest-remainder choice (REF-1), the state machine's every entry (ORD-4..6), and the errors that name the value
at fault."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from base.workdays import WorkingCalendar
from orders import policy
from orders.policy import CouponTerms, Parcel, PricedLine, Tariff

KZ = WorkingCalendar()
ALMATY = ZoneInfo("Asia/Almaty")
# Not the zone Django runs in (TIME_ZONE sets the process's local zone): a rule that forgot its `tz` argument
# and fell back to local time would still pass with Almaty.
SOFIA = ZoneInfo("Europe/Sofia")
HEAVY = {"heavy_threshold_kg": Decimal("30"), "heavy_surcharge_per_kg": Decimal("100")}


class NoOffset(tzinfo):
    """A time zone that knows no offset: such a datetime is as good as naive."""

    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None


def tariff(method="courier", **overrides) -> Tariff:
    values = {
        "method": method,
        "city": "Алматы",
        "base_cost": Decimal("1500"),
        "per_kg": Decimal("0"),
        "free_from": None,
        "bulky_surcharge": Decimal("0"),
    }
    values.update(overrides)
    return Tariff(**values)


def cost(parcel: Parcel, method="courier", **overrides) -> Decimal:
    return policy.delivery_cost(tariff(method, **overrides), parcel, pickup_free_from=Decimal("20000"), **HEAVY)


# --- ORD-8 / DLV-4: the shop's day, in the shop's zone, with its cut-off ------------------------------------------


def test_ord8_processing_day_is_taken_in_the_zone_passed_not_the_process_zone():
    # 23:30 in Sofia on Thursday 5 March is already Friday 03:30 in Almaty
    placed = datetime(2026, 3, 5, 23, 30, tzinfo=SOFIA)
    assert policy.processing_start(placed, KZ, SOFIA) == date(2026, 3, 5)
    assert policy.processing_start(placed, KZ, ALMATY) == date(2026, 3, 6)


def test_dlv4_the_eta_uses_the_cutoff_and_the_zone_it_is_given():
    placed = datetime(2026, 3, 4, 17, 30, tzinfo=SOFIA)  # Wednesday, after a 17:00 cut-off in Sofia
    window = policy.delivery_window(placed, KZ, SOFIA, min_days=0, max_days=1, cutoff=time(17, 0))
    assert window == (date(2026, 3, 5), date(2026, 3, 6))
    # without the cut-off the same order starts on Wednesday; in Almaty it is already Wednesday 20:30
    assert policy.delivery_window(placed, KZ, SOFIA, min_days=0, max_days=1) == (date(2026, 3, 4), date(2026, 3, 5))
    assert policy.delivery_window(placed, KZ, ALMATY, min_days=0, max_days=0, cutoff=time(20, 0)) == (
        date(2026, 3, 5),
        date(2026, 3, 5),
    )


def test_dlv4_a_zero_day_window_is_the_processing_day_itself():
    placed = datetime(2026, 3, 4, 10, 0, tzinfo=ALMATY)
    assert policy.delivery_window(placed, KZ, ALMATY, min_days=0, max_days=0) == (date(2026, 3, 4), date(2026, 3, 4))


def test_dlv4_window_refusal_says_what_is_wrong():
    placed = datetime(2026, 3, 4, 10, 0, tzinfo=ALMATY)
    with pytest.raises(ValueError, match=r"^need 0 <= min_days <= max_days$"):
        policy.delivery_window(placed, KZ, ALMATY, min_days=-1, max_days=2)


def test_ord8_a_zone_without_an_offset_is_as_naive_as_none():
    with pytest.raises(
        ValueError, match=r"^an aware datetime is required \(the shop's day depends on its time zone\)$"
    ):
        policy.processing_start(datetime(2026, 3, 4, 10, 0, tzinfo=NoOffset()), KZ, ALMATY)


# --- DLV-1: express hours ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "open_"),
    [(21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (1, 59, True), (2, 0, False), (12, 0, False)],
)
def test_dlv1_express_hours_that_run_over_midnight(hour, minute, open_):
    """Opens 22:00 (inclusive), closes 02:00 (exclusive) the next morning."""
    now = datetime(2026, 3, 4, hour, minute, tzinfo=ALMATY)
    allowed, reason = policy.express_available(now, opens=time(22), closes=time(2), city_has_store_stock=True)
    assert (allowed, reason) == (open_, policy.EXPRESS_AVAILABLE if open_ else policy.EXPRESS_OUTSIDE_HOURS)


@pytest.mark.parametrize("hour", [0, 9, 10, 15, 23])
def test_dlv1_express_with_opening_equal_to_closing_is_never_open(hour):
    now = datetime(2026, 3, 4, hour, 0, tzinfo=ALMATY)
    assert policy.express_available(now, opens=time(10), closes=time(10), city_has_store_stock=True) == (
        False,
        policy.EXPRESS_OUTSIDE_HOURS,
    )


def test_dlv1_express_refuses_a_zone_without_an_offset_by_name():
    now = datetime(2026, 3, 4, 12, 0, tzinfo=NoOffset())
    with pytest.raises(ValueError, match=r"^an aware datetime in the shop's time zone is required$"):
        policy.express_available(now, opens=time(10), closes=time(20), city_has_store_stock=True)


# --- DLV-2: the heavy surcharge and rounding -----------------------------------------------------------------------


def test_dlv2_the_first_kilogram_over_the_threshold_is_charged_and_the_threshold_itself_is_not():
    at_threshold = cost(Parcel(goods_total=Decimal("1000"), weight_kg=Decimal("30"), has_bulky=False))
    first_over = cost(Parcel(goods_total=Decimal("1000"), weight_kg=Decimal("31"), has_bulky=False))
    half_over = cost(Parcel(goods_total=Decimal("1000"), weight_kg=Decimal("30.5"), has_bulky=False))
    assert (at_threshold, first_over, half_over) == (Decimal("1500.00"), Decimal("1600.00"), Decimal("1550.00"))
    below = cost(Parcel(goods_total=Decimal("1000"), weight_kg=Decimal("29"), has_bulky=False))
    assert below == Decimal("1500.00")


def test_dlv2_cost_rounds_half_a_tiyn_up():
    # 1 500 + 0.005 kg × 1 ₸ = 1 500.005 → 1 500.01
    parcel = Parcel(goods_total=Decimal("1000"), weight_kg=Decimal("0.005"), has_bulky=False)
    assert cost(parcel, per_kg=Decimal("1")) == Decimal("1500.01")


@pytest.mark.parametrize(
    "field",
    [
        "goods_total",
        "weight_kg",
        "base_cost",
        "per_kg",
        "bulky_surcharge",
        "heavy_threshold_kg",
        "heavy_surcharge_per_kg",
    ],
)
def test_dlv2_a_negative_input_is_refused_by_its_name(field):
    parcel = {"goods_total": Decimal("1000"), "weight_kg": Decimal("1"), "has_bulky": False}
    rates = {"base_cost": Decimal("1500"), "per_kg": Decimal("10"), "bulky_surcharge": Decimal("0")}
    heavy = dict(HEAVY)
    for values in (parcel, rates, heavy):
        if field in values:
            values[field] = Decimal("-1")
    with pytest.raises(ValueError, match=rf"^{field} must not be negative$"):
        policy.delivery_cost(tariff(**rates), Parcel(**parcel), pickup_free_from=Decimal("20000"), **heavy)


# --- CPN-2 / REF-1: coupons and discount shares --------------------------------------------------------------------


def coupon(kind="percent", value="10") -> CouponTerms:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return CouponTerms(
        kind=kind,
        value=Decimal(value),
        min_goods_total=Decimal("0"),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=1),
        max_uses=None,
        times_used=0,
        max_uses_per_customer=None,
        is_active=True,
    )


def test_cpn2_a_percent_coupon_rounds_half_a_tiyn_up():
    # 15 % of 0.10 = 0.015 → 0.02
    shares = policy.coupon_shares(coupon(value="15"), [PricedLine(Decimal("0.10"), on_sale=False, in_scope=True)])
    assert shares == [Decimal("0.02")]


def test_cpn2_no_lines_no_shares():
    assert policy.coupon_shares(coupon(), []) == []
    assert policy.coupon_shares(coupon("fixed", "500"), []) == []


def test_ref1_the_leftover_tiyn_goes_to_the_largest_remainder():
    # 0.01 over 1.00 and 2.00: exact shares 0.0033 and 0.0067 → the second line takes the tiyn
    assert policy.allocate_discount([Decimal("1.00"), Decimal("2.00")], Decimal("0.01")) == [
        Decimal("0.00"),
        Decimal("0.01"),
    ]
    # 0.02 over 1.00, 1.00, 1.00: remainders tie, the earliest lines take the tiyn
    assert policy.allocate_discount([Decimal("1.00")] * 3, Decimal("0.02")) == [
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("0.00"),
    ]


# --- ORD-4..6: the state machine, entry by entry --------------------------------------------------------------------

FLOW = {
    "placed": {"confirmed", "cancelled"},
    "confirmed": {"paid", "assembling", "cancelled"},
    "paid": {"assembling", "cancelled"},
    "assembling": {"shipped", "cancelled"},
    "shipped": {"delivered", "refused"},
    "delivered": {"completed"},
    "completed": set(),
    "cancelled": set(),
    "refused": set(),
}


def test_ord5_every_entry_of_the_transition_table():
    assert {state: set(targets) for state, targets in policy.transitions().items()} == FLOW
    for state in FLOW:
        for target in FLOW:
            assert policy.can_transition(state, target) == (target in FLOW[state]), (state, target)


def test_ord6_the_customer_may_ask_to_cancel_exactly_until_the_goods_leave():
    assert policy.customer_cancellable() == {"placed", "confirmed", "paid", "assembling"}
    assert [s for s in FLOW if policy.customer_may_cancel(s)] == ["placed", "confirmed", "paid", "assembling"]


def test_ord4_exactly_cancelled_and_refused_put_the_goods_back():
    assert [s for s in FLOW if policy.releases_stock(s)] == ["cancelled", "refused"]
    assert {"cancelled", "refused"} == policy.RELEASES_STOCK


def test_ref1_the_largest_remainder_wins_not_the_largest_share():
    # 0.02 over 1.00 and 2.00: exact shares 0.0067 and 0.0133 → floors 0 and 1; one tiyn left, and the first line's
    # remainder (0.67) beats the second's (0.33) although the second line is larger
    assert policy.allocate_discount([Decimal("1.00"), Decimal("2.00")], Decimal("0.02")) == [
        Decimal("0.01"),
        Decimal("0.01"),
    ]


@pytest.mark.parametrize(
    ("amounts", "discount", "message"),
    [
        (["-1.00"], "0.00", r"^line amount must not be negative$"),
        (["1.00"], "-0.01", r"^discount must not be negative$"),
        (["1.00"], "1.01", r"^the discount exceeds the lines' total$"),
    ],
)
def test_ref1_a_refused_allocation_names_the_value_at_fault(amounts, discount, message):
    with pytest.raises(ValueError, match=message):
        policy.allocate_discount([Decimal(a) for a in amounts], Decimal(discount))


def test_dlv4_the_window_starts_on_the_day_in_the_zone_given_not_the_process_zone():
    # 23:30 on Wednesday in Sofia is Thursday 02:30 in Almaty: a window counted in Sofia starts on Wednesday
    placed = datetime(2026, 3, 4, 23, 30, tzinfo=SOFIA)
    assert policy.delivery_window(placed, KZ, SOFIA, min_days=0, max_days=0) == (date(2026, 3, 4), date(2026, 3, 4))
