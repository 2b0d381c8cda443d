"""Two checkouts racing for the same bonuses (issue 14, LOY-8): each in its own thread and Postgres transaction;
the account's row lock lets one spend them and refuses the other with a clear message; the balance never goes
negative and the ledger still adds up."""

import pytest
from django.utils import timezone, translation

from loyalty import selectors, services
from loyalty.models import BonusAccount
from orders.checkout.services import CheckoutError, place_order
from orders.models import City, Order
from tests import factories as f
from tests.concurrency import run_together
from tests.loyalty_helpers import ensure_tiers, member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(settings):
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.cod.CashOnDelivery"]
    ensure_tiers()
    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    return f.delivery_setup(city_name="Алматы")


def test_loy8_two_concurrent_checkouts_never_spend_the_same_bonuses_twice(setup, django_user_model):
    # given: 600 bonuses, two carts of 20 000 (cap 600 each), both priced with the full 600 seen
    account = member(django_user_model, email="race@example.kz", at=timezone.now())
    services.grant_promotion(account_ids=[account.pk], amount=600, expires_at=None, reason="welcome", key="race")
    user = account.user
    carts = [
        f.cart_with((f.product(price="20000.00", stock=5).variants.get(), 1), session_key=f"race{n}") for n in (1, 2)
    ]
    slot = {"discount_kind": "bonuses"}

    def checkout(cart):
        def job():
            with translation.override("en"):
                return place_order(cart=cart, data=f.checkout_data(setup, email=user.email, **slot), user=user)

        return job

    # when
    results, crashed = run_together([checkout(cart) for cart in carts])
    # then: one order with 600 bonuses, one refused with a message, nothing crashed otherwise
    refused = [error for error in crashed if isinstance(error, CheckoutError)]
    assert not [error for error in crashed if not isinstance(error, CheckoutError)]
    assert len(results) == 1 and len(refused) == 1
    assert "Your bonuses were just spent on another order" in refused[0].message
    assert Order.objects.get().discount_total == 600
    account = BonusAccount.objects.get(pk=account.pk)
    assert account.balance == 0
    assert selectors.ledger_sums(account) == (0, 0)
