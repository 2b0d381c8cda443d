"""LOY-6 accrual sweep, set-based (issue 14 performance): one batch costs the same few queries whatever it holds,
each log entry names its own lot, and the balances move by exactly what was logged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loyalty import selectors, services
from loyalty.models import BonusAccount, BonusEntry, PendingAccrual, Tier
from tests.loyalty_helpers import day, delivered_order, ensure_tiers, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(email="support@example.kz", password="pw-123456", is_staff=True)


def _due(accounts, staff, *, placed=0):
    for n, account in enumerate(accounts):
        delivered_order(account, staff, items=((f"{10000 + 1000 * n}.00", 1), ("5000.00", 2)), placed=placed)
    return list(PendingAccrual.objects.filter(status="waiting").order_by("pk").values_list("pk", flat=True))


@pytest.mark.postgres  # the set-based batch (arrays, one INSERT for all lots) is PostgreSQL's; SQLite loops
def test_loy6_a_batch_costs_the_same_queries_for_2_or_12_accruals(django_user_model, staff):
    ensure_tiers()
    rules, tiers = selectors.tier_rules(), {t.code: t for t in Tier.objects.all()}
    small = _due([member(django_user_model)], staff)
    with CaptureQueriesContext(connection) as few:
        services.accrue_batch(small, now=day(10), rules=rules, tiers=tiers)
    large = _due([member(django_user_model) for _ in range(6)], staff)
    assert len(large) == 12
    with CaptureQueriesContext(connection) as many:
        services.accrue_batch(large, now=day(10), rules=rules, tiers=tiers)
    assert len(many) == len(few) <= 12


def test_loy6_each_entry_names_its_own_lot_and_balances_match_the_log(django_user_model, staff):
    ensure_tiers()
    accounts = [member(django_user_model) for _ in range(3)]
    ids = _due(accounts, staff)
    accrued = services.accrue_batch(ids, now=day(10))
    assert accrued > 0 and services.accrue_batch(ids, now=day(11)) == 0  # run again: nothing more
    entries = list(BonusEntry.objects.filter(kind="accrue").select_related("lot"))
    assert len(entries) == len(ids) and sum(e.amount for e in entries) == accrued
    for entry in entries:
        assert entry.lot.account_id == entry.account_id and entry.lot.amount == entry.amount == entry.lot.remaining
        assert entry.lot.order_id == entry.order_id and entry.key.startswith("accrue:line:")
    for account in BonusAccount.objects.filter(pk__in=[a.pk for a in accounts]):
        assert selectors.ledger_sums(account) == (account.balance, account.balance) and account.balance > 0
