"""Paying with bonuses at checkout (issue 14: CPN-2, LOY-8): the page shows the balance, the cap, the total with
bonuses and the better discount; confirming spends them FIFO per line; a cancelled order gives them back at once;
never with a coupon; the checkout page's query count does not grow with the cart."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from loyalty import selectors, services
from loyalty.models import BonusEntry, SpentBonus
from orders.fulfilment import services as fulfilment
from orders.models import Order
from tests import factories as f
from tests.loyalty_helpers import ensure_tiers, member

pytestmark = pytest.mark.django_db

CHECKOUT = "/en/checkout/"


@pytest.fixture(autouse=True)
def cash_on_delivery(settings):
    ensure_tiers()
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.cod.CashOnDelivery"]


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture
def account(django_user_model):
    account = member(django_user_model, email="erlan@example.kz", at=timezone.now())
    services.grant_promotion(account_ids=[account.pk], amount=1000, expires_at=None, reason="welcome", key="w")
    account.refresh_from_db()
    return account


def shopping(user, *prices) -> Client:
    client = Client(HTTP_ORIGIN="http://testserver")
    client.force_login(user)
    for price in prices:
        item = f.product(price=price, stock=10).variants.get()
        assert client.post("/en/cart/add/", {"variant": item.pk, "quantity": "1"}).status_code == 302
    return client


def confirm(client, setup):
    page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})
    expected = re.search(r'name="expected_total" value="([^"]*)"', page.content.decode()).group(1)
    return client.post(
        CHECKOUT,
        {
            "action": "confirm",
            "full_name": "Ерлан Ахметов",
            "email": "erlan@example.kz",
            "phone": "+77011234567",
            "city": setup.city.pk,
            "delivery_method": "courier",
            "address": "ул. Абая, 10",
            "payment_method": "cod",
            "terms": "on",
            "expected_total": expected,
        },
    )


def test_loy8_the_page_shows_balance_cap_and_total_then_bonuses_pay_part_of_the_order(setup, account):
    """LOY-8: Basic pays up to 3 % of the payable goods: 3 % of 20 000 = 600 of the 1 000 balance. The page shows
    the balance, the cap and the total with bonuses; applied and confirmed, 600 are spent and shared per line."""
    # given
    client = shopping(account.user, "10000.00", "10000.00")
    # when
    page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"}).content.decode()
    # then
    assert "Your bonus balance: <strong>1000</strong>" in page
    assert "Bonuses may pay up to 600 ₸ of this cart." in page
    assert 'value="apply_bonuses"' in page
    # when: applied
    applied = client.post(CHECKOUT, {"action": "apply_bonuses", "city": setup.city.pk, "delivery_method": "courier"})
    assert "600 bonuses will pay for part of this order." in applied.content.decode()
    assert applied.context["quote"].priced.discount_total == Decimal("600")
    response = confirm(client, setup)
    # then
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.discount_kind == "bonuses" and order.discount_total == Decimal("600.00")
    assert sum(line.discount_share for line in order.lines.all()) == Decimal("600.00")
    account.refresh_from_db()
    assert account.balance == 400
    assert sum(SpentBonus.objects.values_list("amount", flat=True)) == 600
    assert BonusEntry.objects.get(key=f"spend:order:{order.pk}").amount == -600


def test_cpn2_bonuses_never_with_a_coupon_and_the_page_names_the_better(setup, account):
    """CPN-2: a coupon in the slot: bonuses are refused with the one-discount message; the better one is named."""
    f.coupon("TEN", value="10")
    client = shopping(account.user, "10000.00")
    client.post(CHECKOUT, {"action": "apply_coupon", "coupon_code": "TEN"})
    page = client.post(CHECKOUT, {"action": "apply_bonuses"})
    assert "Only one discount per order" in page.content.decode()
    assert page.context["quote"].slot == {"kind": "coupon", "code": "TEN"}
    better = page.context["quote"].better
    assert better.kind == "coupon" and better.amount == Decimal("1000.00")  # 10 % beats 3 % (300)


def test_loy8_goods_that_may_not_be_paid_with_bonuses_give_no_cap(setup, account):
    product = f.product(price="10000.00", bonus_payable=False)
    client = Client(HTTP_ORIGIN="http://testserver")
    client.force_login(account.user)
    client.post("/en/cart/add/", {"variant": product.variants.get().pk, "quantity": "1"})
    page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"}).content.decode()
    assert "These goods cannot be paid with bonuses." in page


def test_cpn2_a_cancelled_order_gives_the_bonuses_back_at_once(setup, account, django_user_model):
    """ORD-6/CPN-2: cancelling an unpaid order releases the spent bonuses into the lots they came from, once."""
    client = shopping(account.user, "10000.00", "10000.00")
    client.post(CHECKOUT, {"action": "apply_bonuses"})
    assert confirm(client, setup).status_code == 302
    order = Order.objects.get()
    staff = django_user_model.objects.create_user(email="s@example.kz", password="pw-123456", is_staff=True)
    # when
    fulfilment.cancel_order(order=order, actor=staff, reason="customer asked")
    services.release_order(order=order)  # a second release (the receiver) changes nothing
    # then
    account.refresh_from_db()
    assert account.balance == 1000
    assert BonusEntry.objects.filter(key=f"release:order:{order.pk}", amount=600).count() == 1
    log, lots = selectors.ledger_sums(account)
    assert log == lots == 1000


def test_loy8_another_customer_sees_only_their_own_balance(setup, account, django_user_model):
    other = django_user_model.objects.create_user(email="other@example.kz", password="pw-123456")
    page = shopping(other, "10000.00").get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})
    assert "bonus balance" not in page.content.decode() and page.context["quote"].bonus_offer is None


@pytest.mark.parametrize("items", [1, 6])
def test_the_checkout_with_bonuses_costs_a_constant_number_of_queries(
    setup, account, items, django_assert_max_num_queries
):
    """Performance: the checkout page with bonuses applied costs the same number of queries for 1 or 6 lines."""
    client = shopping(account.user, *["10000.00"] * items)
    client.post(CHECKOUT, {"action": "apply_bonuses"})
    client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})  # warm the per-version caches
    with django_assert_max_num_queries(16):
        client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})
