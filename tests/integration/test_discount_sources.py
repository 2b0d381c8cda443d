"""The discount-source registry behind the order's one discount slot (CPN-2, with CPN-1): a fake
bonuses source registered beside the coupon through ``SHOP_DISCOUNT_SOURCES`` — the registry names the better
offer for a cart, the slot takes one discount and refuses a second, `place_order` applies exactly one and spreads
it over the lines, a kind no source gives is refused with a message; with only the coupon the checkout is as
before."""

import re
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.utils import timezone, translation

from orders.checkout.discounts import DISCOUNT_SESSION_KEY, apply_coupon, apply_discount
from orders.checkout.pricing import price_lines
from orders.checkout.services import CheckoutError, place_order
from orders.discount_sources import all_sources, get_source, release_discount
from orders.fulfilment import services as fulfilment
from orders.models import CartLine, Coupon, Order
from tests import factories as f
from tests.fake_discounts import FakeBonusSource

pytestmark = pytest.mark.django_db

CHECKOUT = "/en/checkout/"
COUPON_ONLY = ["orders.coupons.source.CouponSource"]
WITH_BONUSES = [*COUPON_ONLY, "tests.fake_discounts.FakeBonusSource"]
ONE_DISCOUNT = "Only one discount per order: remove the other discount first."
UNAVAILABLE = "This discount is not available: remove it and confirm the order again."


def en(message):
    with translation.override("en"):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def cash_on_delivery_only(settings):
    """Cash on delivery, messages in English (as the pages under /en/), an empty fake bonus account."""
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.cod.CashOnDelivery"]
    settings.SHOP_DISCOUNT_SOURCES = COUPON_ONLY  # issue 14 registers the real bonuses; these tests use the fake
    FakeBonusSource.reset()
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(email="erlan@example.kz", password="pw-123456")


def cart_of(*prices_and_quantities, user=None):
    """A cart of fresh products (price, quantity) and its lines as the checkout reads them."""
    pairs = [(f.product(price=price, stock=10).variants.get(), quantity) for price, quantity in prices_and_quantities]
    cart = f.cart_with(*pairs, user=user)
    return cart, list(CartLine.objects.filter(cart=cart).select_related("variant__product").order_by("added_at", "id"))


def test_cpn2_the_coupon_is_the_registered_source_by_default():
    """CPN-2: with the coupon alone registered (the loyalty app's bonuses left out) it is the one source."""
    assert list(all_sources()) == ["coupon"]
    assert get_source("bonuses") is None


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
@pytest.mark.parametrize(("balance", "better"), [("5000", "bonuses"), ("800", "coupon"), ("2000", "coupon")])
def test_cpn2_the_registry_names_the_better_discount_for_the_cart(member, balance, better):
    """CPN-2: every source is asked what it gives this cart and customer; the larger offer is the better one (the
    first registered on a tie). A 10 % coupon on 20 000 gives 2 000; bonuses give the balance up to 30 %."""
    # given
    FakeBonusSource.reset(balance)
    f.coupon("TEN", value="10")
    _cart, lines = cart_of(("10000.00", 2), user=member)
    # when
    priced = price_lines(
        lines,
        slot={"kind": "coupon", "code": "TEN"},
        customer=member,
        email=member.email,
        now=timezone.now(),
        compare=True,
    )
    # then: only the slot's discount is applied, whichever is better
    assert [offer.kind for offer in priced.offers] == ["coupon", "bonuses"]
    assert priced.better.kind == better
    assert priced.applied.kind == "coupon" and priced.discount_total == Decimal("2000.00")
    assert sum(priced.shares) == priced.discount_total


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_one_offer_is_nothing_to_compare(member):
    """CPN-2: a guest has no bonuses, so with a coupon alone there is no "better discount" to name."""
    FakeBonusSource.reset("5000")
    f.coupon("TEN", value="10")
    _cart, lines = cart_of(("10000.00", 2))
    now = timezone.now()
    priced = price_lines(lines, slot={"kind": "coupon", "code": "TEN"}, customer=None, email="", now=now, compare=True)
    assert [offer.kind for offer in priced.offers] == ["coupon"] and priced.better is None


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_the_slot_takes_one_discount_and_refuses_a_second(member):
    """CPN-2: bonuses in the slot, then a coupon: refused with the one-discount message; and the other way round."""
    # given
    FakeBonusSource.reset("5000")
    f.coupon("TEN", value="10")
    _cart, lines = cart_of(("10000.00", 2), user=member)
    session, now = {}, timezone.now()
    asked = {"lines": lines, "customer": member, "email": member.email, "now": now}
    # when: bonuses first
    applied, message = apply_discount(session, slot={"kind": "bonuses"}, **asked)
    # then
    assert applied and message == "5000 bonuses will pay for part of this order."
    assert apply_coupon(session, code="ten", **asked) == (False, en(ONE_DISCOUNT))
    assert session[DISCOUNT_SESSION_KEY] == {"kind": "bonuses"}
    # when: the coupon first
    session = {}
    assert apply_coupon(session, code="ten", **asked)[0]
    # then
    assert apply_discount(session, slot={"kind": "bonuses"}, **asked) == (False, en(ONE_DISCOUNT))
    assert session[DISCOUNT_SESSION_KEY] == {"kind": "coupon", "code": "TEN"}


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_place_order_applies_exactly_the_discount_in_the_slot(setup, member):
    """CPN-2, REF-1: the order gets the bonuses' offer and nothing else — discount_kind from the source, the total
    equal to the offer, the lines' shares (pro rata, to the tiyn) summing to it, the coupon untouched; the source
    was asked under lock and committed once."""
    # given: a coupon exists and would apply, but the slot holds bonuses
    FakeBonusSource.reset("3333")
    coupon = f.coupon("TEN", value="10")
    cart, lines = cart_of(("10000.00", 1), ("7000.00", 3), ("999.00", 1), user=member)
    offer = price_lines(lines, slot={"kind": "bonuses"}, customer=member, email="", now=timezone.now()).offer
    # when
    order = place_order(cart=cart, data=f.checkout_data(setup, discount_kind="bonuses"), user=member)
    # then
    order_lines = list(order.lines.order_by("id"))
    assert (order.discount_kind, order.discount_total) == ("bonuses", offer.amount) == ("bonuses", Decimal("3333"))
    assert (order.coupon, order.coupon_code) == (None, "")
    assert [line.discount_share for line in order_lines] == list(offer.shares)
    assert sum(line.discount_share for line in order_lines) == order.discount_total
    assert all(line.paid_total == line.line_total - line.discount_share for line in order_lines)
    assert order.total == order.goods_total - Decimal("3333") + order.delivery_cost
    assert FakeBonusSource.ledger == [("spend", order.number, Decimal("3333"))]
    assert FakeBonusSource.asked[-1] == ({"kind": "bonuses"}, True)
    assert Coupon.objects.get(pk=coupon.pk).times_used == 0
    # when: the order is cancelled, the source gives back what it took, once
    release_discount(order=order)
    release_discount(order=order)
    assert FakeBonusSource.ledger[1:] == [("give back", order.number, Decimal("3333.00"))]


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_place_order_never_takes_a_coupon_and_bonuses_together(setup, member):
    """CPN-2: a coupon code sent with bonuses chosen is refused; nothing is saved or spent."""
    FakeBonusSource.reset("5000")
    f.coupon("TEN", value="10")
    cart, _lines = cart_of(("10000.00", 2), user=member)
    with pytest.raises(CheckoutError) as raised:
        place_order(cart=cart, data=f.checkout_data(setup, discount_kind="bonuses", coupon_code="TEN"), user=member)
    assert (raised.value.field, raised.value.message) == ("coupon_code", en(ONE_DISCOUNT))
    assert not Order.objects.exists() and FakeBonusSource.ledger == []
    assert Coupon.objects.get(code="TEN").times_used == 0


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_bonuses_refused_under_lock_stop_the_order_on_their_field(setup, member):
    """CPN-2: the source re-checks inside place_order; its refusal stops the order on the source's field."""
    FakeBonusSource.reset("0")
    cart, _lines = cart_of(("10000.00", 2), user=member)
    with pytest.raises(CheckoutError) as raised:
        place_order(cart=cart, data=f.checkout_data(setup, discount_kind="bonuses"), user=member)
    assert (raised.value.field, raised.value.message) == (
        "discount_kind",
        "You have no bonuses to spend on these goods.",
    )
    assert not Order.objects.exists()


@pytest.mark.parametrize("kind", ["bonuses", "gift-card"])
def test_cpn2_a_discount_kind_no_source_gives_is_refused_with_a_message(setup, kind):
    """CPN-2: place_order asks the registry for the source of the kind; an unregistered one is refused on the
    discount field with a message, and nothing is saved."""
    cart, _lines = cart_of(("10000.00", 1))
    with pytest.raises(CheckoutError) as raised:
        place_order(cart=cart, data=f.checkout_data(setup, discount_kind=kind))
    assert (raised.value.field, raised.value.message) == ("discount_kind", en(UNAVAILABLE))
    assert not Order.objects.exists()


# --- Through the checkout page -------------------------------------------------------------------------------------


def signed_in(member, *prices_and_quantities) -> Client:
    client = Client(HTTP_ORIGIN="http://testserver")
    client.force_login(member)
    for price, quantity in prices_and_quantities:
        item = f.product(price=price, stock=10).variants.get()
        assert client.post("/en/cart/add/", {"variant": item.pk, "quantity": str(quantity)}).status_code == 302
    return client


def put_in_slot(client, slot):
    session = client.session
    session[DISCOUNT_SESSION_KEY] = slot
    session.save()


def confirm(client, setup, **overrides):
    page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})
    expected = re.search(r'name="expected_total" value="([^"]*)"', page.content.decode()).group(1)
    data = {
        "full_name": "Ерлан Ахметов",
        "email": "erlan@example.kz",
        "phone": "+77017654321",
        "city": str(setup.city.pk),
        "delivery_method": "courier",
        "address": "пр. Достык, 5, кв. 12",
        "payment_method": "cod",
        "terms": "on",
        "expected_total": expected,
        "action": "confirm",
        **overrides,
    }
    return client.post(CHECKOUT, data)


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_the_page_names_the_better_discount_and_the_order_gets_the_one_in_the_slot(setup, member):
    """CPN-2: with a coupon in the slot and more in bonuses, the page names the bonuses as the better discount
    but the order gets the coupon alone."""
    # given
    FakeBonusSource.reset("5000")
    f.coupon("TEN", value="10")
    client = signed_in(member, ("10000.00", 2))
    assert client.post(CHECKOUT, {"action": "apply_coupon", "coupon_code": "TEN"}).status_code == 200
    # when
    page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})
    # then
    assert page.context["quote"].better.kind == "bonuses"
    assert "The better discount for this cart: Bonuses (5000), −5" in page.content.decode()
    response = confirm(client, setup)
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.discount_kind, order.coupon_code, order.discount_total) == ("coupon", "TEN", Decimal("2000"))
    assert FakeBonusSource.ledger == []


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_bonuses_in_the_slot_are_placed_and_a_typed_coupon_is_refused(setup, member):
    """CPN-2: the slot holds bonuses (the loyalty app's button puts them there); a coupon typed on top is refused
    with the one-discount message on its field; confirming places the order with the bonuses."""
    FakeBonusSource.reset("1000")
    f.coupon("TEN", value="10")
    client = signed_in(member, ("10000.00", 2))
    put_in_slot(client, {"kind": "bonuses"})
    refused = client.post(CHECKOUT, {"action": "apply_coupon", "coupon_code": "TEN"})
    assert list(refused.context["form"].errors["coupon_code"]) == [en(ONE_DISCOUNT)]
    response = confirm(client, setup)
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.discount_kind, order.discount_total, order.coupon) == ("bonuses", Decimal("1000"), None)
    assert FakeBonusSource.ledger == [("spend", order.number, Decimal("1000"))]
    assert DISCOUNT_SESSION_KEY not in client.session


def test_cpn2_a_slot_holding_an_unregistered_kind_is_a_form_error_not_a_500(setup, member):
    """CPN-2: bonuses left in the session while only the coupon is registered: the page says so and confirming
    is refused with the message above the form (200, nothing saved)."""
    client = signed_in(member, ("10000.00", 1))
    put_in_slot(client, {"kind": "bonuses"})
    page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})
    assert page.status_code == 200 and page.context["quote"].discount_error == en(UNAVAILABLE)
    assert re.search(rf"Bonuses:\s+{re.escape(en(UNAVAILABLE))}", page.content.decode())
    assert 'value="remove_discount"' in page.content.decode()
    response = confirm(client, setup)
    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [en(UNAVAILABLE)]
    assert not Order.objects.exists()
    # when: the shopper removes it, the order goes through without a discount
    removed = client.post(CHECKOUT, {"action": "remove_discount"})
    assert "The discount was removed." in removed.content.decode() and DISCOUNT_SESSION_KEY not in client.session
    assert confirm(client, setup).status_code == 302
    assert Order.objects.get().discount_kind == ""


def test_cpn2_with_only_the_coupon_the_page_shows_no_comparison(setup, member):
    """CPN-2: one source, nothing to compare: the page is as before (no "better discount" line)."""
    f.coupon("TEN", value="10")
    client = signed_in(member, ("10000.00", 2))
    client.post(CHECKOUT, {"action": "apply_coupon", "coupon_code": "TEN"})
    page = client.get(CHECKOUT, {"city": setup.city.pk, "method": "courier"})
    assert page.context["quote"].better is None
    assert "checkout-better" not in page.content.decode()
    assert "Discount (coupon TEN)" in page.content.decode()


@override_settings(SHOP_DISCOUNT_SOURCES=WITH_BONUSES)
def test_cpn2_cancelling_an_order_gives_its_discount_back_through_its_source(setup, member, django_user_model):
    """CPN-2: support cancels an order paid partly with bonuses; the source that gave the
    discount is asked to give it back, inside the cancellation's transaction, once."""
    # given an order whose discount came from the bonuses source
    FakeBonusSource.reset("500")
    cart, _lines = cart_of(("4000.00", 1), user=member)
    order = place_order(cart=cart, data=f.checkout_data(setup, discount_kind="bonuses"), user=member)
    staff = django_user_model.objects.create_superuser(email="boss@example.kz", password="pw-123456")
    # when support cancels it
    fulfilment.cancel_order(order=order, actor=staff, reason="out of stock")
    # then the source gave the bonuses back
    assert FakeBonusSource.ledger == [
        ("spend", order.number, Decimal("500")),
        ("give back", order.number, Decimal("500.00")),
    ]
