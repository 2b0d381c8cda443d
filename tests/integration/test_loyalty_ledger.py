"""The bonus ledger on Postgres with time travel (issue 14): LOY-3..7 accrual, tiers and expiry through the sweeps,
the ledger invariant, idempotent sweeps run twice or stopped mid-batch, the receivers after commit."""

from decimal import Decimal

import hypothesis
import pytest
from django.core.management import call_command
from hypothesis import strategies as st

from loyalty import returned_goods, selectors, services, sweeps
from loyalty.models import BonusEntry, BonusLot, EntryKind, PendingAccrual, Tier
from orders.fulfilment import services as fulfilment
from orders.models import OrderStatus
from tests import factories as f
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


def assert_ledger(account):
    """balance = Σ log = Σ lots' remaining ≥ 0, and no lot outside 0..amount."""
    account.refresh_from_db()
    log, lots = selectors.ledger_sums(account)
    assert account.balance == log == lots >= 0
    assert not BonusLot.objects.filter(account=account, remaining__lt=0).exists()


def test_loy3_the_seeded_tier_table_has_the_programme_values():
    """LOY-3: Basic 3/3, Regular ≥3 orders and ≥100 000: 5/5, Partner ≥10 and ≥500 000: 7/10, VIP ≥15 and
    ≥1 000 000: 10/15 — seeded as data."""
    rows = list(Tier.objects.values_list("code", "min_orders", "min_sum", "earn_percent", "pay_percent"))
    assert rows == [
        ("basic", 0, Decimal("0.00"), Decimal("3.00"), Decimal("3.00")),
        ("regular", 3, Decimal("100000.00"), Decimal("5.00"), Decimal("5.00")),
        ("partner", 10, Decimal("500000.00"), Decimal("7.00"), Decimal("10.00")),
        ("vip", 15, Decimal("1000000.00"), Decimal("10.00"), Decimal("15.00")),
    ]


def test_loy6_loy7_pay_deliver_day3_nothing_day9_accrued_day10_expires_90_days_later(account, staff):
    """LOY-6: cash on delivery paid and delivered on day 3 → due on day 10: nothing on day 9, 3 % accrued on day
    10 (LOY-5, Basic), usable at once; LOY-7: the lot expires 90 days after accrual."""
    # given
    order = delivered_order(account, staff, items=(("10000.00", 2),), delivered=3)
    (pending,) = PendingAccrual.objects.filter(order=order)
    assert pending.due_at == order.delivered_at + (day(10) - day(3))
    # when / then: day 9 nothing
    assert sweeps.accrue_due(now=day(9)) == 0
    # day 10: 3 % of 20 000 = 600
    assert sweeps.accrue_due(now=day(10)) == 600
    account.refresh_from_db()
    assert account.balance == 600
    (lot,) = BonusLot.objects.filter(account=account, source="purchase")
    assert lot.expires_at == day(10) + (day(90) - day(0))
    assert_ledger(account)
    # 89 days later still there, 90 days later gone
    assert sweeps.expire_lots(now=day(99)) == 0
    assert sweeps.expire_lots(now=day(100)) == 600
    account.refresh_from_db()
    assert account.balance == 0
    assert BonusEntry.objects.filter(account=account, kind=EntryKind.EXPIRE, amount=-600).count() == 1
    assert_ledger(account)


def test_loy4_a_new_tier_takes_effect_the_day_after_the_accrual_that_reached_it(account, staff):
    """LOY-3/LOY-4: the third order reaching 100 000 makes the customer Regular the day after its accrual, not
    before; the nightly recount then makes it the account's tier."""
    # given: three delivered orders of 40 000, the last accrued on day 10
    for placed in (0, 1, 2):
        delivered_order(account, staff, items=(("40000.00", 1),), placed=placed, delivered=3)
    # when
    sweeps.accrue_due(now=day(10))
    account.refresh_from_db()
    # then: Basic today, Regular tomorrow
    assert selectors.effective_tier(account, day(10).date()).code == "basic"
    assert selectors.effective_tier(account, day(11).date()).code == "regular"
    assert sweeps.recompute_tiers(today=day(10).date()) == 0
    assert sweeps.recompute_tiers(today=day(11).date()) == 1
    assert sweeps.recompute_tiers(today=day(11).date()) == 0  # twice: nothing more
    account.refresh_from_db()
    assert account.tier.code == "regular" and account.tier_since == day(11).date()


def test_loy5_services_delivery_and_the_discounted_part_earn_nothing(account, staff):
    """LOY-5: a service line earns nothing; delivery is never a line; a coupon's share is not money paid."""
    # given: a 10 % coupon on a 10 000 good and a 5 000 service
    f.coupon("TEN", value="10")
    setup = f.delivery_setup()
    good = f.product(price="10000.00").variants.get()
    service = f.product(price="5000.00", is_service=True).variants.get()
    cart = f.cart_with((good, 1), (service, 1), user=account.user)
    order = services_place(cart, setup, account)
    # then: only 9 000 of the good counts (the coupon took its share), 3 % → 270
    (pending,) = PendingAccrual.objects.filter(order=order)
    assert pending.base == order.lines.get(variant=good).paid_total
    assert services.accrue_batch([pending.pk], now=day(30)) == 0  # not delivered: no due time yet
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.DELIVERED, delivered_at=day(3), paid_at=day(3))
    order.refresh_from_db()
    services.schedule_accruals(order=order)
    assert services.accrue_batch([pending.pk], now=day(10)) == 270


def services_place(cart, setup, account):
    from orders.checkout.services import place_order

    order = place_order(
        cart=cart, data=f.checkout_data(setup, coupon_code="TEN", email=account.user.email), user=account.user
    )
    order.paid_at = day(0)
    services.schedule_accruals(order=order)
    return order


def test_loy6_sweeps_run_twice_or_stopped_mid_batch_never_double(account, staff, django_user_model):
    """Each sweep is idempotent: a second run changes nothing; a run stopped after its first batch (killed) is
    finished by the next run without doubling anything."""
    others = [member(django_user_model) for _ in range(3)]
    for holder in [account, *others]:
        delivered_order(holder, staff, items=(("10000.00", 1),), delivered=3)
    # stopped after one batch of two
    assert sweeps.accrue_due(now=day(10), batch=2, max_batches=1) == 600
    assert PendingAccrual.objects.filter(status="waiting").count() == 2
    # the next run finishes, a third changes nothing
    assert sweeps.accrue_due(now=day(10), batch=2) == 600
    assert sweeps.accrue_due(now=day(10), batch=2) == 0
    assert BonusEntry.objects.filter(kind=EntryKind.ACCRUE).count() == 4
    # expiry, twice
    assert sweeps.expire_lots(now=day(100), batch=1, max_batches=2) == 600
    assert sweeps.expire_lots(now=day(100), batch=1) == 600
    assert sweeps.expire_lots(now=day(100)) == 0
    for holder in [account, *others]:
        assert_ledger(holder)


def test_loy6_the_management_command_runs_a_sweep_as_of_a_date(account, staff, capsys):
    """Support and tests run a sweep "as of" a date."""
    delivered_order(account, staff, items=(("10000.00", 1),), delivered=3)
    call_command("loyalty_sweep", "accrue", "--as-of", "2027-03-09T12:00")
    call_command("loyalty_sweep", "accrue", "--as-of", "2027-03-12")
    out = capsys.readouterr().out
    assert "0 bonuses accrued" in out and "300 bonuses accrued" in out
    call_command("loyalty_sweep", "tiers", "--as-of", "2027-03-13")
    call_command("loyalty_sweep", "expire", "--as-of", "2027-06-30")
    account.refresh_from_db()
    assert account.balance == 0


def test_loy6_receivers_schedule_after_commit_and_cancellation_cancels(
    account, staff, django_capture_on_commit_callbacks
):
    """The order signals (after commit) schedule a member's accruals; a cancelled order earns nothing."""
    setup = f.delivery_setup()
    with django_capture_on_commit_callbacks(execute=True):
        order = f.placed_order(setup, items=(("10000.00", 1),), user=account.user)
        fulfilment.confirm_order(order=order, actor=staff)
        fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
        fulfilment.mark_shipped(order=order, actor=staff, tracking_number="T-1")
        fulfilment.mark_paid(order=order, actor=staff, amount=order.total, reference="cash")
    (pending,) = PendingAccrual.objects.filter(order=order)
    assert pending.due_at is None  # paid, not yet delivered (LOY-6)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.set_status(order=order, target=OrderStatus.DELIVERED, actor=staff)
    pending.refresh_from_db()
    assert pending.due_at is not None


def test_loy1_a_guest_or_non_member_order_earns_nothing(staff, django_user_model):
    user = django_user_model.objects.create_user(email="nomember@example.kz", password="pw-123456")
    order = f.placed_order(items=(("10000.00", 1),), user=user)
    assert services.schedule_accruals(order=order) == 0
    guest = f.placed_order(items=(("10000.00", 1),))
    assert services.schedule_accruals(order=guest) == 0


@hypothesis.settings(
    max_examples=12, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["grant", "spend", "expire", "never", "accrue", "return"]),
            st.integers(1, 400),
            st.integers(1, 60),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_ledger_invariant_under_random_sequences(django_user_model, staff, steps):
    """Issue 14 invariant: after any sequence of credits (expiring or not), spends (FIFO), expiry sweeps, the
    accrual of an order and returns of its units (cancelled, or clawed back), balance = Σ log = Σ lots'
    remaining ≥ 0 and each lot's remaining within 0..amount."""
    account = member(django_user_model)
    staff.is_superuser = True
    order = delivered_order(account, staff, items=(("10000.00", 4),), delivered=3)
    line = order.lines.get()
    for n, (action, amount, when) in enumerate(steps):
        key = f"hyp:{account.pk}:{n}"
        if action == "grant":
            services.grant_promotion(account_ids=[account.pk], amount=amount, expires_at=day(when), reason="x", key=key)
        elif action == "never":
            services.grant_promotion(account_ids=[account.pk], amount=amount, expires_at=None, reason="x", key=key)
        elif action == "spend":
            account.refresh_from_db()
            if account.balance >= amount:
                services.adjust(account=account, amount=-amount, reason="spent", actor=staff, key=key, now=day(0))
            else:
                with pytest.raises(services.LoyaltyError):
                    services.adjust(account=account, amount=-amount, reason="spent", actor=staff, key=key, now=day(0))
        elif action == "accrue":
            sweeps.accrue_due(now=day(10))
        elif action == "return":
            units = {line.pk: 1 + amount % 2}
            result = returned_goods.goods_returned(key=key, order_id=order.pk, quantities=units, at=day(when))
            assert result.clawback_shortfall >= 0
        else:
            sweeps.expire_lots(now=day(when))
        assert_ledger(account)


def test_mails_accrued_expiring_at_most_weekly_and_tier_reached(
    account, staff, django_capture_on_commit_callbacks, mailoutbox
):
    """Issue 14 mails: bonuses accrued; bonuses expiring within 7 days (one mail per customer per week at most);
    tier reached (after the nightly recount that makes it the account's tier)."""
    for placed in (0, 1, 2):
        delivered_order(account, staff, items=(("40000.00", 1),), placed=placed, delivered=3)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.accrue_due(now=day(10))
    # in the customer's language (Russian by default), not the language the sweep happens to run in
    assert [m.subject for m in mailoutbox] == ["Начислено 3600 бонусов"]
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.recompute_tiers(today=day(11).date())
    # in the customer's language (Russian by default), the tier's name too (issue 14 follow-up: translated tiers)
    assert mailoutbox[-1].subject.endswith(": Постоянный клиент")
    # expiring: the lot expires on day 100; reminded on day 93 (7 days before), not again within the week
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.expire_lots(now=day(93))
        sweeps.expire_lots(now=day(94))
        sweeps.expire_lots(now=day(96))
    assert [m.subject for m in mailoutbox] == ["3600 бонусов скоро сгорят"]
    assert mailoutbox[0].to == ["aigerim@example.kz"]
