"""ORD-3: a drawn order number that is already taken rolls the whole order back and places it again with a new
number — one order, the stock taken once, one "received" mail, the cart emptied."""

import pytest

from orders.checkout import services as checkout
from orders.checkout.services import place_order
from orders.models import Order, OrderEvent
from orders.stock import services as stock_services
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_ord3_a_taken_order_number_is_drawn_again_and_the_order_placed_once(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    # given an order holding number 11111111, and a cart whose next draw is that number, then a free one
    setup = f.delivery_setup()
    taken = f.placed_order(setup)
    Order.objects.filter(pk=taken.pk).update(number="11111111")
    item = f.product(price="1000.00", stock=5).variants.get()
    cart = f.cart_with((item, 2))
    draws = iter(["11111111", "22222222"])
    monkeypatch.setattr(checkout, "_new_number", lambda: next(draws))
    mailoutbox.clear()
    # when the order is placed
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(cart=cart, data=f.checkout_data(setup, email="second@example.kz"))
    # then it has the free number, the stock went down once, one event and one mail
    assert order.number == "22222222"
    assert Order.objects.filter(email="second@example.kz").count() == 1
    item.refresh_from_db()
    assert item.stock == 3
    assert OrderEvent.objects.filter(order=order).count() == 1
    assert [m.to for m in mailoutbox] == [["second@example.kz"]]
    assert not cart.lines.exists()


def test_ord3_an_integrity_error_that_is_not_the_number_is_raised(monkeypatch):
    # given a cart whose stock update breaks a constraint of the database
    from django.db import IntegrityError

    setup = f.delivery_setup()
    item = f.product(price="1000.00", stock=5).variants.get()
    cart = f.cart_with((item, 2))

    def broken(lines):
        raise IntegrityError("stock")

    monkeypatch.setattr(stock_services, "take_stock", broken)
    # when the order is placed, then the error comes out and nothing is saved
    with pytest.raises(IntegrityError):
        place_order(cart=cart, data=f.checkout_data(setup))
    assert not Order.objects.exists()
    assert cart.lines.count() == 1
