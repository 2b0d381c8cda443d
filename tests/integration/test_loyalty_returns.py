"""Returns and bonuses (issue 14: LOY-9, REF-3) through `loyalty.returned_goods`, the door the returns app uses:
a return on day 5 cancels the pending accrual; on day 12 the accrued bonuses are clawed back and what the balance
lacks is the refund's shortfall; bonuses spent on returned units come back as bonuses; every call idempotent."""

from decimal import Decimal

import pytest

from loyalty import returned_goods, selectors, services, sweeps
from loyalty.models import BonusEntry, EntryKind, PendingAccrual
from tests.loyalty_helpers import day, delivered_order, ensure_tiers, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tiers():
    ensure_tiers()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(email="support@example.kz", password="pw-123456", is_staff=True)


@pytest.fixture
def account(django_user_model):
    return member(django_user_model, email="aigerim@example.kz")


def test_loy9_a_return_requested_holds_the_accrual_and_withdrawn_lets_it_go_on(account, staff):
    """LOY-6: never accrue for lines being returned; a withdrawn return lets the accrual go on."""
    order = delivered_order(account, staff, items=(("10000.00", 1),), delivered=3)
    line = order.lines.get()
    returned_goods.return_requested(key="return:1", order_id=order.pk, quantities={line.pk: 1}, at=day(5))
    assert sweeps.accrue_due(now=day(11)) == 0
    returned_goods.return_withdrawn(key="return:1")
    returned_goods.return_withdrawn(key="return:1")
    assert sweeps.accrue_due(now=day(11)) == 300


def test_loy9_a_return_on_day_5_cancels_the_pending_accrual(account, staff):
    # given: two units delivered on day 3, one returned on day 5
    order = delivered_order(account, staff, items=(("10000.00", 2),), delivered=3)
    line = order.lines.get()
    # when
    returned_goods.return_requested(key="return:5", order_id=order.pk, quantities={line.pk: 1}, at=day(5))
    result = returned_goods.goods_returned(key="return:5", order_id=order.pk, quantities={line.pk: 1}, at=day(5))
    # then: nothing to claw back; the kept unit accrues 3 % of 10 000 on day 10
    assert result == returned_goods.ReturnedBonuses(clawback_shortfall=Decimal("0.00"), bonuses_back=0)
    assert sweeps.accrue_due(now=day(10)) == 300
    # the whole line returned: cancelled
    order2 = delivered_order(account, staff, items=(("5000.00", 1),), delivered=3)
    line2 = order2.lines.get()
    returned_goods.goods_returned(key="return:6", order_id=order2.pk, quantities={line2.pk: 1}, at=day(5))
    assert PendingAccrual.objects.get(order_line=line2).status == PendingAccrual.Status.CANCELLED


def test_loy9_ref3_a_return_on_day_12_claws_back_and_the_shortfall_is_deducted(account, staff):
    """Accrued on day 10 (600), 500 spent by then, returned on day 12: 100 taken back from the balance, the 500
    the balance lacks is the refund's shortfall in tenge (REF-3); a second call answers the same, changes nothing."""
    order = delivered_order(account, staff, items=(("10000.00", 2),), delivered=3)
    line = order.lines.get()
    assert sweeps.accrue_due(now=day(10)) == 600
    account.refresh_from_db()
    services.adjust(account=account, amount=-500, reason="spent elsewhere", actor=staff, key="spend-500", now=day(11))
    # when
    first = returned_goods.goods_returned(key="return:12", order_id=order.pk, quantities={line.pk: 2}, at=day(12))
    second = returned_goods.goods_returned(key="return:12", order_id=order.pk, quantities={line.pk: 2}, at=day(12))
    # then
    assert first == second == returned_goods.ReturnedBonuses(clawback_shortfall=Decimal("500.00"), bonuses_back=0)
    account.refresh_from_db()
    assert account.balance == 0
    assert BonusEntry.objects.get(kind=EntryKind.CLAWBACK).amount == -100
    assert selectors.ledger_sums(account) == (0, 0)


def test_ref3_bonuses_spent_on_returned_units_come_back_as_bonuses(account, staff):
    """LOY-2, REF-3: an order paid partly with bonuses (1 bonus = 1 tenge: 600 bonuses take 600.00 off), one of two
    units returned: half of the spent bonuses come back as bonuses, not as money."""
    services.grant_promotion(account_ids=[account.pk], amount=1000, expires_at=None, reason="gift", key="g")
    order = delivered_order(account, staff, items=(("10000.00", 2),), delivered=3, discount_kind="bonuses")
    assert order.discount_total == Decimal("600.00")
    line = order.lines.get()
    account.refresh_from_db()
    assert account.balance == 400
    result = returned_goods.goods_returned(key="return:r", order_id=order.pk, quantities={line.pk: 1}, at=day(5))
    assert result.bonuses_back == 300 and result.clawback_shortfall == 0
    account.refresh_from_db()
    assert account.balance == 700
    log, lots = selectors.ledger_sums(account)
    assert log == lots == 700
