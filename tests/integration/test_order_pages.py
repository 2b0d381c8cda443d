"""The customer's side of orders (ORD-5, ORD-6, DLV-1, DLV-4, ACC-3): the page behind the secret link, asking to
cancel, finding an order by number + e-mail, the cabinet's "My orders" and the order data in the export.

Orders are placed through the checkout service and moved through the fulfilment functions, as staff would."""

import json
import secrets
from decimal import Decimal

import html5lib
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from orders.delivery.carriers import get_carrier
from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderEvent, OrderStatus
from orders.views import order_lookup_rate_limit
from tests import factories as f

pytestmark = pytest.mark.django_db

PREPAID = "tests.payment_doubles.TestCard"
COD = "payments.adapters.cod.CashOnDelivery"




@pytest.fixture
def prepaid(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [COD, PREPAID]


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        email="manager.bolat@example.kz", password="pw-123456", first_name="Болат", is_staff=True
    )


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="aigerim@example.kz", password="pw-123456", first_name="Айгерим")


@pytest.fixture(autouse=True)
def _fresh_lookup_limit():
    """The find-my-order counters live in the shared cache: no test inherits another's attempts."""
    from django.core.cache import cache

    def clear():
        client = getattr(cache, "_cache", None)
        if hasattr(client, "get_client"):
            redis = client.get_client(write=True)
            for key in redis.scan_iter(match=cache.make_key(f"{order_lookup_rate_limit.prefix}:*")):
                redis.delete(key)
        else:
            cache.clear()

    clear()
    yield
    clear()


def page_of(order, language="en") -> str:
    with translation.override(language):
        return reverse("orders:detail", kwargs={"token": order.access_token})


def cancel_url(order, language="en") -> str:
    with translation.override(language):
        return reverse("orders:request_cancellation", kwargs={"token": order.access_token})


def url(name, language="en") -> str:
    with translation.override(language):
        return reverse(name)


def text_of(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\u00a0", " ")


def assert_valid_html(response):
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")


def to_assembling(order, staff):
    fulfilment.confirm_order(order=order, actor=staff)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
    return order


def to_shipped(order, staff, tracking="CDEK-1234567"):
    to_assembling(order, staff)
    fulfilment.mark_shipped(order=order, actor=staff, tracking_number=tracking)
    return order


# --- The order page (ORD-5, DLV-1, DLV-4) -------------------------------------------------------------------------


def test_ord5_order_page_shows_lines_discount_totals_delivery_and_payment(client, setup):
    # given: two lines, a 10 % coupon spread over them, courier delivery, cash on delivery
    f.coupon("SALE10")
    order = f.placed_order(setup, items=(("10000.00", 2), ("5000.00", 1)), coupon_code="sale10")
    lines = list(order.lines.order_by("id"))
    # when
    response = client.get(page_of(order))
    # then
    assert response.status_code == 200
    assert_valid_html(response)
    html = text_of(response)
    assert f"Order {order.number}" in html
    assert "Placed" in html
    for line in lines:
        assert line.product_name in html and line.sku in html
    assert "10 000 ₸" in html and "20 000 ₸" in html and "5 000 ₸" in html  # frozen unit prices, line total
    assert f"−{lines[0].discount_share:,.0f} ₸".replace(",", " ") in html  # each line's share of the discount
    assert "Discount (coupon SALE10)" in html and "−2 500 ₸" in html
    assert "25 000 ₸" in html  # goods
    assert f"{order.total:,.0f} ₸".replace(",", " ") in html
    assert "Courier service" in html and "ул. Абая, 10, кв. 5" in html
    assert order.eta_from.isoformat() in html and order.eta_to.isoformat() in html  # DLV-4 in <time datetime>
    assert "Cash or card on delivery" in html  # the adapter's label, not its code
    assert "Paid" in html and "0 ₸" in html


def test_ord5_history_shows_each_status_with_its_time_but_not_who_changed_it(client, setup, staff):
    # given
    order = f.placed_order(setup)
    to_assembling(order, staff)
    # when
    html = text_of(client.get(page_of(order)))
    # then
    history = html.split('id="order-history-title"')[1].split("</ol>")[0]
    assert [label for label in ("Placed", "Confirmed", "Being assembled") if label in history] == [
        "Placed",
        "Confirmed",
        "Being assembled",
    ]
    assert history.count("<time") == 3
    assert staff.email not in html and "Болат" not in html


def test_dlv1_tracking_number_and_carrier_link_appear_once_shipped(client, setup, staff):
    # given
    order = f.placed_order(setup)
    to_assembling(order, staff)
    link = get_carrier().tracking_url("CDEK-777")
    assert "Track the parcel" not in text_of(client.get(page_of(order)))
    # when
    fulfilment.mark_shipped(order=order, actor=staff, tracking_number="CDEK-777")
    response = client.get(page_of(order))
    # then
    html = text_of(response)
    assert "CDEK-777" in html
    assert f'href="{link}" rel="noopener noreferrer"' in html.replace("&amp;", "&")
    assert "Shipped" in html
    assert "you can refuse it at delivery" in html


def test_dlv1_logistics_order_shows_the_managers_phone(client, setup, settings, prepaid):
    order = f.placed_order(setup, delivery_method="logistics", payment_method="testcard")
    html = text_of(client.get(page_of(order)))
    assert settings.SHOP_LOGISTICS_MANAGER_PHONE in html
    assert "Test card" in html


def test_dlv1_pickup_order_shows_the_point_and_its_hours(client, setup):
    order = f.placed_order(setup, delivery_method="pickup", pickup_point_id=setup.pickup_point.pk, address="")
    html = text_of(client.get(page_of(order, "ru")))
    assert "Пункт выдачи 1" in html and "ул. Абая, 1" in html and "10–20" in html


def test_ord5_express_order_shows_a_single_day(client, setup):
    order = Order.objects.get(pk=f.placed_order(setup).pk)
    Order.objects.filter(pk=order.pk).update(eta_to=order.eta_from)  # display only
    html = text_of(client.get(page_of(order)))
    assert html.count(f'datetime="{order.eta_from.isoformat()}"') == 1


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_ord5_order_page_is_valid_html_in_every_language(client, setup, staff, language):
    order = to_shipped(f.placed_order(setup), staff)
    response = client.get(page_of(order, language))
    assert response.status_code == 200
    assert_valid_html(response)


def test_ord5_unknown_or_guessed_tokens_are_404(client, setup):
    # given
    order = f.placed_order(setup)
    one_off = order.access_token[:-1] + ("A" if order.access_token[-1] != "A" else "B")
    # then
    assert len(order.access_token) >= 43  # secrets.token_urlsafe(32)
    for token in (secrets.token_urlsafe(32), order.number, one_off, order.access_token.upper(), "x" * 200):
        response = client.get(f"/en/orders/o/{token}/")
        assert response.status_code == 404, token
        assert order.number not in response.content.decode()
        assert client.post(f"/en/orders/o/{token}/cancel/", {"reason": ""}).status_code == 404


def test_ord5_secret_pages_are_not_cached_not_referred_not_indexed(client, setup):
    order = f.placed_order(setup)
    for response in (client.get(page_of(order)), client.get(url("orders:find"))):
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"  # never sent to another site
        assert "noindex" in response["X-Robots-Tag"]


# --- Asking to cancel (ORD-6) ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["placed", "confirmed", "paid", "assembling"])
def test_ord6_customer_asks_to_cancel_while_not_shipped_and_the_request_is_logged(
    client, setup, staff, customer, prepaid, status
):
    # given: an online-paid order to pass through "paid"; the customer is signed in
    order = f.placed_order(setup, user=customer, email=customer.email, payment_method="testcard")
    if status != "placed":
        fulfilment.confirm_order(order=order, actor=staff)
    if status in ("paid", "assembling"):
        fulfilment.mark_paid(order=order, actor=staff, amount=order.total)
    if status == "assembling":
        fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
    assert order.status == status
    client.force_login(customer)
    assert 'name="reason"' in client.get(page_of(order)).content.decode()
    # when
    response = client.post(cancel_url(order), {"reason": "Передумала"}, follow=True)
    # then
    assert response.redirect_chain == [(page_of(order), 302)]
    html = text_of(response)
    assert "Your request was sent; support will confirm." in html
    assert 'name="reason"' not in html and "You asked to cancel this order" in html
    order.refresh_from_db()
    assert order.status == status  # support cancels; the customer only asks
    assert order.cancellation_requested_at is not None and order.cancellation_reason == "Передумала"
    event = order.events.get(kind=OrderEvent.Kind.CANCELLATION_REQUESTED)
    assert (event.actor, event.actor_role, event.message) == (customer, "customer", "Передумала")


def test_ord6_a_guest_asks_without_a_reason(client, setup):
    order = f.placed_order(setup)
    response = client.post(cancel_url(order), {"reason": ""}, follow=True)
    assert "Your request was sent; support will confirm." in text_of(response)
    event = order.events.get(kind=OrderEvent.Kind.CANCELLATION_REQUESTED)
    assert (event.actor, event.actor_role) == (None, "customer")


def test_ord6_asking_twice_is_refused_and_logged_once(client, setup):
    order = f.placed_order(setup)
    client.post(cancel_url(order), {"reason": "first"})
    response = client.post(cancel_url(order), {"reason": "second"}, follow=True)
    assert "You have already asked to cancel this order" in text_of(response)
    assert order.events.filter(kind=OrderEvent.Kind.CANCELLATION_REQUESTED).count() == 1
    order.refresh_from_db()
    assert order.cancellation_reason == "first"


def test_ord6_a_shipped_order_cannot_be_cancelled_but_can_be_refused_at_delivery(client, setup, staff):
    # given
    order = to_shipped(f.placed_order(setup), staff)
    # then: no form, the page says what is still possible
    html = text_of(client.get(page_of(order)))
    assert 'name="reason"' not in html
    assert "can no longer be cancelled: you can refuse it at delivery" in html
    # when: a crafted POST
    response = client.post(cancel_url(order), {"reason": "late"}, follow=True)
    # then
    assert "The order has already been shipped" in text_of(response)
    order.refresh_from_db()
    assert order.cancellation_requested_at is None
    assert not order.events.filter(kind=OrderEvent.Kind.CANCELLATION_REQUESTED).exists()


def test_ord6_a_cancelled_order_shows_the_reason_and_no_form(client, setup, staff):
    order = f.placed_order(setup)
    fulfilment.refuse_order(order=order, actor=staff, reason="Нет на складе")
    html = text_of(client.get(page_of(order, "ru")))
    assert "Нет на складе" in html
    assert 'name="reason"' not in html


def test_ord6_cancellation_request_needs_the_csrf_token(setup):
    # given
    order = f.placed_order(setup)
    browser = Client(enforce_csrf_checks=True)
    # when
    refused = browser.post(cancel_url(order), {"reason": "x"})
    # then
    assert refused.status_code == 403
    assert not order.events.filter(kind=OrderEvent.Kind.CANCELLATION_REQUESTED).exists()
    browser.get(page_of(order))  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(cancel_url(order), {"reason": "x", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302


def test_ord6_cancel_url_is_post_only(client, setup):
    order = f.placed_order(setup)
    assert client.get(cancel_url(order)).status_code == 405


def test_ord6_too_long_a_reason_is_answered_with_a_message(client, setup):
    order = f.placed_order(setup)
    response = client.post(cancel_url(order), {"reason": "x" * 501}, follow=True)
    assert response.status_code == 200
    assert "500 characters" in text_of(response)
    order.refresh_from_db()
    assert order.cancellation_requested_at is None


# --- Find my order by number + e-mail ------------------------------------------------------------------------------


def test_ord5_find_by_number_and_email_opens_the_secret_link(client, setup):
    # given
    order = f.placed_order(setup, email="Aigerim@Example.kz")
    # when: the e-mail in other capitals, the number as copied from the mail
    response = client.post(url("orders:find"), {"number": f"№ {order.number}", "email": "AIGERIM@example.KZ"})
    # then
    assert response.status_code == 302
    assert response["Location"] == page_of(order)


def test_ord5_a_wrong_email_or_number_gets_one_generic_answer(client, setup):
    # given
    order = f.placed_order(setup)
    other = f.placed_order(setup, email="someone@example.kz")
    attempts = [
        {"number": order.number, "email": "wrong@example.kz"},  # right number
        {"number": "99999999", "email": order.email},  # right e-mail
        {"number": other.number, "email": order.email},  # both exist, not together
    ]
    # when
    answers = [client.post(url("orders:find"), data) for data in attempts]
    # then
    for response in answers:
        assert response.status_code == 200
        html = text_of(response)
        assert "We could not find an order with this number and e-mail." in html
        assert order.access_token not in html and other.access_token not in html
    assert len({text_of(r).split('name="csrfmiddlewaretoken"')[0] for r in answers}) == 1


def test_ord5_find_needs_both_fields(client, setup):
    order = f.placed_order(setup)
    response = client.post(url("orders:find"), {"number": order.number, "email": ""})
    assert response.status_code == 200
    assert "Enter the e-mail." in text_of(response)
    assert order.access_token not in text_of(response)


def test_ord5_find_page_is_valid_and_linked_from_every_page(client):
    response = client.get(url("orders:find"))
    assert response.status_code == 200
    assert_valid_html(response)
    assert f'href="{url("orders:find")}"' in client.get("/en/").content.decode()


def test_ord5_lookups_are_rate_limited_per_ip(client, setup, settings):
    # given
    settings.SHOP_ORDER_LOOKUP_RATE_LIMIT = "3/h"
    order = f.placed_order(setup)
    for _ in range(3):
        assert client.post(url("orders:find"), {"number": "11111111", "email": "x@example.kz"}).status_code == 200
    # when: even the right answer is refused now
    response = client.post(url("orders:find"), {"number": order.number, "email": order.email})
    # then
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in text_of(response)
    assert order.access_token not in text_of(response)
    # another network is not affected
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post(url("orders:find"), {"number": order.number, "email": order.email}).status_code == 302


# --- The cabinet's "My orders" (ACC-3) ----------------------------------------------------------------------------


def test_acc3_my_orders_lists_own_orders_newest_first_with_status_total_and_tracking(client, setup, staff, customer):
    # given
    first = f.placed_order(setup, user=customer, email=customer.email)
    second = to_shipped(f.placed_order(setup, user=customer, email=customer.email), staff, tracking="KZ-555")
    client.force_login(customer)
    # when
    response = client.get(url("accounts:orders"))
    # then
    assert response.status_code == 200
    assert_valid_html(response)
    html = text_of(response)
    assert html.index(second.number) < html.index(first.number)
    assert f'href="{page_of(first)}"' in html and f'href="{page_of(second)}"' in html
    assert "Shipped" in html and "Placed" in html
    assert f"{first.total:,.0f} ₸".replace(",", " ") in html
    assert get_carrier().tracking_url("KZ-555").replace("&", "&amp;") in response.content.decode()
    assert f'href="{url("orders:find")}"' in html  # guest orders are found by number + e-mail


def test_acc3_my_orders_never_shows_another_customers_or_a_guests_orders(client, setup, customer, django_user_model):
    # given: A's order, and a guest order placed with B's e-mail (ACC-2: guest data serve that order only)
    a_order = f.placed_order(setup, user=customer, email=customer.email)
    b = django_user_model.objects.create_user(email="bolat@example.kz", password="pw-123456")
    guest_order = f.placed_order(setup, email=b.email)
    b_order = f.placed_order(setup, user=b, email=b.email)
    client.force_login(b)
    # when
    html = client.get(url("accounts:orders")).content.decode()
    # then
    assert b_order.number in html
    assert a_order.number not in html and a_order.access_token not in html
    assert guest_order.number not in html


def test_acc3_my_orders_needs_sign_in(client):
    response = client.get(url("accounts:orders"))
    assert response.status_code == 302 and "login" in response["Location"]


def _orders_page_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("accounts:orders")).status_code == 200
    return len(queries)


def test_acc3_my_orders_costs_the_same_queries_for_1_or_15_orders(
    client, setup, staff, customer, django_assert_max_num_queries
):
    # given
    f.placed_order(setup, user=customer, email=customer.email)
    client.force_login(customer)
    one = _orders_page_queries(client, customer)
    for n in range(14):
        order = f.placed_order(setup, user=customer, email=customer.email)
        if n % 3 == 0:
            to_shipped(order, staff, tracking=f"T-{n}")
    # then
    with django_assert_max_num_queries(one):
        response = client.get(url("accounts:orders"))
    assert response.content.decode().count("/en/orders/o/") == 15
    assert one <= 8


def test_acc3_my_orders_are_paginated_by_20(client, setup, customer):
    # given
    orders = [f.placed_order(setup, user=customer, email=customer.email) for _ in range(21)]
    client.force_login(customer)
    # when
    first = client.get(url("accounts:orders")).content.decode()
    second = client.get(url("accounts:orders") + "?page=2").content.decode()
    # then
    assert first.count("/en/orders/o/") == 20 and second.count("/en/orders/o/") == 1
    assert orders[0].number in second  # the oldest is on the last page
    assert client.get(url("accounts:orders") + "?page=abc").status_code == 200
    assert client.get(url("accounts:orders") + "?page=999").status_code == 200


# --- The personal-data export carries the orders (ACC-3) ------------------------------------------------------------


def test_acc3_export_contains_the_customers_orders_and_only_theirs(setup, customer, django_user_model):
    # given
    mine = f.placed_order(setup, items=(("10000.00", 2),), user=customer, email=customer.email)
    other = django_user_model.objects.create_user(email="other@example.kz", password="pw-123456")
    theirs = f.placed_order(setup, user=other, email=other.email, address="Secret street 7")
    browser = Client()
    browser.force_login(customer)
    # when
    response = browser.post(url("accounts:data"))
    # then
    data = json.loads(response.content)
    assert [o["number"] for o in data["orders"]] == [mine.number]
    exported = data["orders"][0]
    assert exported["status"] == "placed"
    assert Decimal(exported["total"]) == mine.total
    assert exported["delivery_address_text"] == mine.delivery_address_text
    assert exported["placed_at"]
    line = mine.lines.get()
    assert exported["lines"] == [
        {
            "product": line.product_name,
            "sku": line.sku,
            "quantity": 2,
            "unit_price": "10000.00",
            "line_total": "20000.00",
            "discount_share": "0.00",
            "paid_total": "20000.00",
        }
    ]
    body = response.content.decode()
    assert theirs.number not in body and "Secret street 7" not in body
