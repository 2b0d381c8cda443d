"""ACC-3 for the loyalty programme (issue 14 follow-up): the bonus account and its history are in the customer's
"my data" export (SHOP_PERSONAL_DATA_PARTS), only the customer's own; deleting the customer's account keeps the
ledger for the accounts but drops the phone and the link to the customer."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from loyalty import selectors, services, sweeps
from loyalty.models import BonusAccount, BonusEntry, PendingAccrual, PhoneConfirmation
from tests.loyalty_helpers import day, delivered_order, ensure_tiers, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tiers():
    ensure_tiers()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(email="support@example.kz", password="pw-123456", is_staff=True)


def _export(user) -> dict:
    client = Client(HTTP_ORIGIN="http://testserver")
    client.force_login(user)
    response = client.post(reverse("accounts:data"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_acc3_export_holds_the_bonus_account_its_lots_pending_and_history(django_user_model, staff):
    account = member(django_user_model, email="aigerim@example.kz")
    other = member(django_user_model, email="other@example.kz")
    first = delivered_order(account, staff, items=(("10000.00", 1),), delivered=3)
    delivered_order(other, staff, items=(("20000.00", 1),), delivered=3)
    sweeps.accrue_due(now=day(10))
    second = delivered_order(account, staff, items=(("5000.00", 1),), placed=11, delivered=12)

    data = _export(account.user)["bonuses"]

    assert data["phone"] == account.phone
    assert data["balance"] == 300
    assert [(lot["source"], lot["amount"], lot["order"]) for lot in data["lots"]] == [("purchase", 300, first.number)]
    assert [(p["order"], p["status"]) for p in data["pending"]] == [
        (first.number, "accrued"),
        (second.number, "waiting"),
    ]
    assert [(e["kind"], e["amount"], e["order"]) for e in data["history"]] == [("accrue", 300, first.number)]
    assert other.phone not in json.dumps(data)  # only the customer's own account


def test_acc3_export_of_a_customer_who_never_joined_has_no_bonus_account(django_user_model):
    user = django_user_model.objects.create_user(email="guest@example.kz", password="pw-123456")
    assert _export(user)["bonuses"] is None


def test_acc3_deleting_the_account_keeps_the_ledger_but_drops_phone_and_link(django_user_model, staff):
    account = member(django_user_model, email="aigerim@example.kz")
    delivered_order(account, staff, items=(("10000.00", 1),), delivered=3)
    sweeps.accrue_due(now=day(10))
    delivered_order(account, staff, items=(("5000.00", 1),), placed=11, delivered=12)
    PhoneConfirmation.objects.create(
        user=account.user, phone=account.phone, code_hash="x", created_at=day(0), expires_at=day(0)
    )
    phone, entries = account.phone, BonusEntry.objects.filter(account=account).count()

    account_services.request_deletion(user=account.user)
    account_services.request_deletion(user=account.user)  # again: nothing more happens

    closed = BonusAccount.objects.get(pk=account.pk)
    assert closed.user_id is None and closed.phone is None and closed.closed_at is not None
    assert not BonusAccount.objects.filter(phone=phone).exists()
    assert not PhoneConfirmation.objects.filter(phone=phone).exists()
    # the ledger stays and still balances: what was left is written off by one logged adjustment
    assert BonusEntry.objects.filter(account=closed).count() == entries + 1
    assert closed.balance == 0 and selectors.ledger_sums(closed) == (0, 0)
    assert not PendingAccrual.objects.filter(account=closed, status=PendingAccrual.Status.WAITING).exists()
    # the sweeps pass over the closed account without failing
    assert sweeps.accrue_due(now=day(30)) == 0
    assert sweeps.expire_lots(now=day(200)) == 0
    sweeps.recompute_tiers(today=day(200).date())
    # the phone is free for someone else
    assert member(django_user_model, email="new@example.kz").phone != phone


def test_acc3_a_closed_account_credited_later_gets_no_mail_and_no_crash(django_user_model, mailoutbox):
    """A credit after the deletion (e.g. bonuses of a cancelled order given back) leaves the sweeps mail-free."""
    account = member(django_user_model, email="aigerim@example.kz")
    account_services.request_deletion(user=account.user)
    services.grant_promotion(account_ids=[account.pk], amount=100, expires_at=day(20), reason="x", key="late")
    mailoutbox.clear()
    assert sweeps.remind_expiring(now=day(15)) == 0
    assert sweeps.expire_lots(now=day(21)) == 100
    assert mailoutbox == []
