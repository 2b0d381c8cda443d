"""ORD-4 and CPN-1 under real concurrency: many buyers calling place_order at the same instant, each in its own
thread with its own PostgreSQL connection and transaction. Row locks (orders/locks.py) must let exactly the
right number through, with no deadlock and no integrity error."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from orders.checkout.services import CheckoutError, place_order
from orders.models import City, Coupon, Order, OrderLine
from shop.models import Variant
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JOIN_TIMEOUT = 60  # seconds; a deadlock or a lost lock shows as a thread still waiting


@pytest.fixture
def setup():
    # a transactional test starts from whatever the last flush left: the seeded city may be gone
    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    return f.delivery_setup(city_name="Алматы")


def run_together(jobs) -> tuple[list, list[CheckoutError], list[BaseException]]:
    """Start every job at the same instant (a barrier); returns (results, checkout errors, other exceptions)."""
    barrier = threading.Barrier(len(jobs))
    results, refused, crashed = [], [], []
    lock = threading.Lock()

    def worker(job):
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                outcome = job()
            with lock:
                results.append(outcome)
        except CheckoutError as exc:
            with lock:
                refused.append(exc)
        except BaseException as exc:  # collected and asserted by the test
            with lock:
                crashed.append(exc)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=worker, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a buyer is still waiting: deadlock or lost lock"
    return results, refused, crashed


def buyer(setup, cart, **overrides):
    def job():
        return place_order(cart=cart, data=f.checkout_data(setup, **overrides))

    return job


def test_ord4_twenty_buyers_one_last_unit_exactly_one_order(setup):
    """ORD-4: 20 buyers, each with their own cart holding the last unit, confirm at the same instant: exactly
    one order, stock 0, 19 clear "not enough stock" refusals, nothing else."""
    # given
    last = f.product(price="25000.00", stock=1).variants.get()
    carts = [f.cart_with((last, 1), session_key=f"race-{n}") for n in range(20)]
    # when
    orders, refused, crashed = run_together(
        [buyer(setup, cart, email=f"buyer{n}@example.kz") for n, cart in enumerate(carts)]
    )
    # then
    assert crashed == []
    assert len(orders) == 1 and len(refused) == 19
    assert all("not enough stock" in error.message.lower() for error in refused), [e.message for e in refused]
    assert Order.objects.count() == 1
    assert OrderLine.objects.get().variant_id == last.pk
    assert Variant.objects.get(pk=last.pk).stock == 0
    # the winner's cart was emptied; every loser keeps the line to correct it
    emptied = [cart for cart in carts if not cart.lines.exists()]
    assert len(emptied) == 1


def test_ord4_opposite_line_order_never_deadlocks(setup):
    """ORD-4: orders sharing two SKUs, with the lines in opposite order, lock them in one order (primary key):
    all go through, the stock is exact."""
    # given
    first = f.product(stock=100).variants.get()
    second = f.product(stock=100).variants.get()
    carts = []
    for n in range(10):
        carts.append(f.cart_with((first, 1), (second, 2), session_key=f"ab-{n}"))
        carts.append(f.cart_with((second, 2), (first, 1), session_key=f"ba-{n}"))
    # when
    orders, refused, crashed = run_together([buyer(setup, cart) for cart in carts])
    # then
    assert crashed == [] and refused == []
    assert len(orders) == Order.objects.count() == 20
    assert Variant.objects.get(pk=first.pk).stock == 100 - 20
    assert Variant.objects.get(pk=second.pk).stock == 100 - 40


def test_cpn1_coupon_with_one_use_raced_by_ten_buyers_is_redeemed_once(setup):
    """CPN-1/ORD-4: a coupon limited to one use, applied by 10 buyers at once: one order gets the discount, the
    others are told it is used up; times_used ends at exactly 1."""
    # given
    coupon = f.coupon("ONLYONE", value="10", max_uses=1, max_uses_per_customer=None)
    carts = [f.cart_with((f.product(price="10000.00").variants.get(), 1), session_key=f"c-{n}") for n in range(10)]
    # when
    orders, refused, crashed = run_together(
        [buyer(setup, cart, coupon_code="onlyone", email=f"c{n}@example.kz") for n, cart in enumerate(carts)]
    )
    # then
    assert crashed == []
    assert len(orders) == 1 and len(refused) == 9
    assert all(error.field == "coupon_code" for error in refused)
    assert Coupon.objects.get(pk=coupon.pk).times_used == 1
    order = Order.objects.get()
    assert order.coupon_id == coupon.pk and order.discount_total == Decimal("1000.00")
