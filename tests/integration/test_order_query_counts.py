"""The cart and checkout cost a fixed number of SQL queries whatever the cart holds (the issue's bench target:
"the cart and checkout pages at a constant query count"): one line and ten lines, the same count — for the
cart page, the checkout page with a city and method chosen, and "Confirm order" (ORD-2..4) itself."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orders.checkout.services import place_order
from orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db

CART = "/en/cart/"
CHECKOUT = "/en/checkout/"
# A Wednesday noon in Almaty, not a holiday: express may be ordered.
WEDNESDAY_NOON = datetime(2026, 4, 15, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def setup():
    return f.delivery_setup()


def guest_with_cart(setup, size: int, *, in_store: bool = False) -> Client:
    """A guest whose session cart holds `size` lines (products with images, one category)."""
    client = Client(HTTP_ORIGIN="http://testserver")
    session = client.session  # creates the session and its cookie
    category = f.category()
    pairs = []
    for _ in range(size):
        item = f.product(price="1000.00", stock=50, image=True, category_=category).variants.get()
        if in_store:
            setup.store.stock.create(variant=item, quantity=10)
        pairs.append((item, 2))
    f.cart_with(*pairs, session_key=session.session_key)
    return client


def queries(client, method: str, path: str, data=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {})
    return len(captured), response


def confirm_form(setup, size: int, **overrides) -> dict:
    goods = Decimal("2000.00") * size
    data = {
        "full_name": "Айгерим Сапарова",
        "email": f"buyer{size}@example.kz",
        "phone": "+77011234567",
        "city": str(setup.city.pk),
        "delivery_method": "courier",
        "address": "ул. Абая, 10, кв. 5",
        "pickup_point": "",
        "payment_method": "cod",
        "comment": "",
        "coupon_code": "",
        "terms": "on",
        "expected_total": str(goods + Decimal("1500.00")),
        "action": "confirm",
    }
    data.update(overrides)
    return data


def test_ord1_cart_page_costs_the_same_queries_for_one_line_and_ten(setup):
    one, page_one = queries(guest_with_cart(setup, 1), "get", CART)
    ten, page_ten = queries(guest_with_cart(setup, 10), "get", CART)
    assert page_one.status_code == page_ten.status_code == 200
    assert page_ten.content.decode().count('class="cart-line"') == 10
    assert one == ten, (one, ten)


@pytest.mark.parametrize("method", ["courier", "pickup", "express"])
def test_ord2_checkout_page_costs_the_same_queries_for_one_line_and_ten(setup, method):
    """DLV-2: the page prices every method for the chosen city; the cost of that does not grow with the cart."""
    counts = []
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        for size in (1, 10):
            client = guest_with_cart(setup, size, in_store=True)
            count, response = queries(client, "get", CHECKOUT, {"city": setup.city.pk, "method": method})
            assert response.status_code == 200
            assert len(response.context["lines"]) == size
            assert response.context["quote"].method == method
            counts.append(count)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("with_coupon", [False, True], ids=["plain", "coupon"])
def test_ord2_confirming_the_order_costs_the_same_queries_for_one_line_and_ten(setup, with_coupon):
    """ORD-2..4: "Confirm order" — the page's checks, then place_order (locks, lines, stock, event, mail) —
    in a number of queries that does not depend on the number of lines."""
    counts = []
    for size in (1, 10):
        client = guest_with_cart(setup, size)
        if with_coupon:
            f.coupon(f"Q{size}", value="10")
            assert client.post(CHECKOUT, {"action": "apply_coupon", "coupon_code": f"Q{size}"}).status_code == 200
            page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"}).content.decode()
            expected = re.search(r'name="expected_total" value="([^"]*)"', page).group(1)
            data = confirm_form(setup, size, expected_total=expected)
        else:
            data = confirm_form(setup, size)
        count, response = queries(client, "post", CHECKOUT, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        order = Order.objects.get(email=f"buyer{size}@example.kz")
        assert order.lines.count() == size
        assert (order.discount_total > 0) == with_coupon
        counts.append(count)
    assert counts[0] == counts[1], counts


def test_ord4_place_order_costs_the_same_queries_for_one_line_and_ten(setup):
    counts = []
    for size in (1, 10):
        cart = f.cart_with(*[(f.product(price="1000.00", stock=5).variants.get(), 1) for _ in range(size)])
        with CaptureQueriesContext(connection) as captured:
            order = place_order(cart=cart, data=f.checkout_data(setup))
        assert order.lines.count() == size
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
