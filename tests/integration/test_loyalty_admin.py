"""Loyalty admin (issue 14, item 8): the ledger is read-only; Support adjusts with a mandatory reason within the
limit set as data, a superuser beyond it; promotion bonuses go to the selected accounts with their own expiry;
the tier table is editable."""

import html
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from accounts.staff_groups import SUPPORT, sync_staff_groups
from loyalty.models import BonusEntry, BonusLot, Tier
from tests.loyalty_helpers import ensure_tiers, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tiers():
    ensure_tiers()


@pytest.fixture
def support(django_user_model):
    sync_staff_groups()
    user = django_user_model.objects.create_user(email="support@example.kz", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPPORT))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def account(django_user_model):
    return member(django_user_model, email="client@example.kz", at=timezone.now())


def adjust_url(account):
    return f"/admin/loyalty/bonusaccount/{account.pk}/adjust/"


def test_support_adjusts_within_the_limit_with_a_reason(support, account, settings):
    settings.SHOP_LOYALTY_SUPPORT_ADJUST_LIMIT = 1000
    page = support.get(adjust_url(account))
    assert page.status_code == 200
    key = page.context["form"].initial["key"]
    # no reason: refused
    assert support.post(adjust_url(account), {"amount": 100, "reason": "", "key": key}).status_code == 400
    # over the limit: refused with a message
    over = support.post(adjust_url(account), {"amount": 1001, "reason": "goodwill", "key": key})
    assert over.status_code == 400 and "только суперпользователь" in html.unescape(over.content.decode())  # ru admin
    # within: done once, even when posted twice (same form key)
    for _ in range(2):
        assert (
            support.post(adjust_url(account), {"amount": 300, "reason": "late parcel", "key": key}).status_code == 302
        )
    account.refresh_from_db()
    assert account.balance == 300
    entry = BonusEntry.objects.get(kind="adjust")
    assert entry.reason == "late parcel" and entry.actor.email == "support@example.kz"


def test_the_ledger_is_read_only_in_the_admin(support, account):
    assert support.get(f"/admin/loyalty/bonusaccount/{account.pk}/change/").status_code == 200
    assert support.get("/admin/loyalty/bonusentry/").status_code == 200
    assert support.get("/admin/loyalty/bonusaccount/add/").status_code == 403
    assert support.post(f"/admin/loyalty/bonusaccount/{account.pk}/delete/").status_code == 403
    assert support.get("/admin/loyalty/tier/").status_code == 403  # the tier table is not Support's


def test_promotion_bonuses_to_a_segment_with_their_own_expiry(admin_client, account, django_user_model):
    other = member(django_user_model, email="other@example.kz")
    untouched = member(django_user_model, email="untouched@example.kz")
    expires = timezone.localtime() + timedelta(days=30)
    data = {
        "action": "grant_promotion",
        "_selected_action": [account.pk, other.pk],
        "apply": "1",
        "amount": 200,
        "expires_at": expires.strftime("%Y-%m-%d %H:%M:%S"),
        "reason": "Nauryz",
        "key": "nauryz-2027",
    }
    assert admin_client.post("/admin/loyalty/bonusaccount/", data).status_code == 302
    assert admin_client.post("/admin/loyalty/bonusaccount/", data).status_code == 302  # twice: once
    lots = BonusLot.objects.filter(source="promotion")
    assert sorted(lot.account_id for lot in lots) == sorted([account.pk, other.pk])
    assert all(lot.amount == 200 and lot.expires_at is not None for lot in lots)
    untouched.refresh_from_db()
    assert untouched.balance == 0


def test_the_tier_table_is_editable_by_a_superuser(admin_client):
    vip = Tier.objects.get(code="vip")
    page = admin_client.get(f"/admin/loyalty/tier/{vip.pk}/change/")
    assert page.status_code == 200
