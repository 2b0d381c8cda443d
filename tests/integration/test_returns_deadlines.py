"""returns/deadlines.py on real orders: the refund deadline follows the order's payment method through the adapter
registry (REF-5), and the settings' day counts and switches reach the rules (RET-1, RET-5, RET-7, REF-2, CPN-3)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from orders.payment_methods import RefundChannel, get_adapter
from returns import deadlines
from returns.policy import Withdrawal
from tests import factories as f
from tests.payment_doubles import COD, TEST_CARD

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
# Fri 12 Dec 2025, 10:00 local: a card refund skips the weekend and Independence Day (Tue 16 Dec).
FRIDAY_BEFORE_INDEPENDENCE_DAY = datetime(2025, 12, 12, 10, 0, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def card_and_cash_shop(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [TEST_CARD, COD]


@pytest.fixture
def setup():
    return f.delivery_setup()


def test_ref5_adapters_declare_their_refund_channel(settings):
    # given the shop's real adapters
    settings.SHOP_PAYMENT_ADAPTERS = [
        "payments.adapters.cloudpayments.CloudPayments",
        "payments.adapters.epay.Epay",
        "payments.adapters.kaspi.KaspiPay",
        "payments.adapters.cod.CashOnDelivery",
        TEST_CARD,
    ]
    # then
    assert get_adapter("cloudpayments").refund_channel == RefundChannel.CARD
    assert get_adapter("epay").refund_channel == RefundChannel.CARD
    assert get_adapter("kaspi").refund_channel == RefundChannel.EWALLET
    assert get_adapter("cod").refund_channel == RefundChannel.CASH
    assert get_adapter("testcard").refund_channel == RefundChannel.CARD


def test_ref5_refund_deadline_follows_the_orders_payment_method(setup):
    # given a card order and a cash-on-delivery order
    card = f.placed_order(setup, payment_method="testcard")
    cash = f.placed_order(setup, payment_method="cod")
    # when / then: card 3 working days (Mon 15, Wed 17, Thu 18); cash 10 calendar days
    assert deadlines.refund_deadline_for(card.payment_method, FRIDAY_BEFORE_INDEPENDENCE_DAY) == date(2025, 12, 18)
    assert deadlines.refund_deadline_for(cash.payment_method, FRIDAY_BEFORE_INDEPENDENCE_DAY) == date(2025, 12, 22)


def test_ref5_settings_change_the_day_counts(settings):
    settings.SHOP_REFUND_CARD_WORKING_DAYS = 1
    settings.SHOP_REFUND_CASH_DAYS = 5
    assert deadlines.refund_deadline_for("testcard", FRIDAY_BEFORE_INDEPENDENCE_DAY) == date(2025, 12, 15)
    assert deadlines.refund_deadline_for("cod", FRIDAY_BEFORE_INDEPENDENCE_DAY) == date(2025, 12, 17)


def test_ref5_a_decreed_day_off_moves_the_card_deadline(settings):
    settings.SHOP_EXTRA_DAYS_OFF = ["2025-12-15"]
    assert deadlines.refund_deadline_for("testcard", FRIDAY_BEFORE_INDEPENDENCE_DAY) == date(2025, 12, 19)


def test_ref5_a_method_no_longer_offered_counts_as_a_card():
    assert deadlines.refund_channel_for("retired-bank") == RefundChannel.CARD
    assert deadlines.refund_deadline_for("retired-bank", FRIDAY_BEFORE_INDEPENDENCE_DAY) == date(2025, 12, 18)


def test_ret1_withdrawal_deadline_from_the_orders_delivery_and_the_setting(setup, settings):
    # given an order delivered on 1 Dec 14:00 local
    order = f.placed_order(setup)
    assert deadlines.withdrawal_deadline_for(order) is None
    assert deadlines.withdrawal_state_for(order) is Withdrawal.NOT_DELIVERED
    order.delivered_at = datetime(2025, 12, 1, 14, 0, tzinfo=ALMATY)
    # then
    assert deadlines.withdrawal_deadline_for(order) == datetime(2025, 12, 15, 23, 59, 59, 999999, tzinfo=ALMATY)
    late = datetime(2025, 12, 16, 0, 1, tzinfo=ALMATY)
    assert deadlines.withdrawal_state_for(order, late) is Withdrawal.EXPIRED
    # when the shop gives 30 days
    settings.SHOP_WITHDRAWAL_DAYS = 30
    assert deadlines.withdrawal_state_for(order, late) is Withdrawal.OPEN


def test_ret5_ret7_send_back_and_inspection_deadlines_from_settings(settings):
    requested = datetime(2025, 12, 2, 10, 0, tzinfo=ALMATY)
    assert deadlines.send_back_deadline_for(requested) == date(2025, 12, 16)
    assert deadlines.inspection_deadline_for(date(2025, 12, 11)) == date(2025, 12, 19)
    # a moment is taken on the shop's day: 10 Dec 20:00 UTC is 11 Dec in Almaty
    assert deadlines.inspection_deadline_for(datetime(2025, 12, 10, 20, 0, tzinfo=ZoneInfo("UTC"))) == date(
        2025, 12, 19
    )
    settings.SHOP_RETURN_SEND_BACK_DAYS = 7
    settings.SHOP_RETURN_INSPECTION_WORKING_DAYS = 2
    assert deadlines.send_back_deadline_for(requested) == date(2025, 12, 9)
    assert deadlines.inspection_deadline_for(date(2025, 12, 11)) == date(2025, 12, 15)


def test_ref2_the_full_withdrawal_switch_comes_from_settings(settings):
    args = {"delivery_paid": Decimal("1500.00"), "defective": False, "full_withdrawal": True}
    assert deadlines.delivery_refund_for(**args) == Decimal("0.00")
    settings.SHOP_REFUND_DELIVERY_ON_FULL_WITHDRAWAL = True
    assert deadlines.delivery_refund_for(**args) == Decimal("1500.00")


def test_cpn3_coupon_reactivation_for_an_order(setup, settings):
    # given a delivered order placed with a coupon
    f.coupon("BACK10", value="10")
    order = f.placed_order(setup, coupon_code="back10")
    assert order.coupon_id
    order.delivered_at = datetime(2025, 12, 1, 14, 0, tzinfo=ALMATY)
    day_15 = datetime(2025, 12, 16, 0, 1, tzinfo=ALMATY)
    kwargs = {"whole_purchase_returned": True, "reason_is_defect": True}
    # then
    assert deadlines.coupon_reactivates_for(order, requested_at=datetime(2025, 12, 15, 23, 0, tzinfo=ALMATY), **kwargs)
    assert not deadlines.coupon_reactivates_for(order, requested_at=day_15, **kwargs)
    settings.SHOP_COUPON_REACTIVATION_DAYS = 15
    assert deadlines.coupon_reactivates_for(order, requested_at=day_15, **kwargs)
    # an order without a coupon has nothing to reactivate
    plain = f.placed_order(setup)
    plain.delivered_at = order.delivered_at
    assert not deadlines.coupon_reactivates_for(plain, requested_at=day_15, **kwargs)
