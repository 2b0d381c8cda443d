"""Issue 16, item 1: no 500 on bad input. Each case here was a 500 on PostgreSQL before the fix (a FieldError on
the search's rank, or a DataError because PostgreSQL refuses NUL in text); the walk over every URL of the
resolver is in test_hostile_walk.py."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation

from payments.models import PaymentEvent
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PREFIXES = ("", "/kk", "/en")
NOT_ALLOWED = {
    "": "Текст содержит недопустимые символы.",
    "/kk": "Мәтінде рұқсат етілмеген таңбалар бар.",
    "/en": "The text contains characters that are not allowed.",
}


@pytest.fixture
def client():
    return Client(HTTP_ORIGIN="http://testserver")  # the shop's forms check the Origin (base/origin.py)


@pytest.fixture(autouse=True)
def _russian_by_default():
    with translation.override("ru"):
        yield


# --- Search: a query with no letters or digits (FieldError: search_rank) -------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("raw", ["!", "(", "'", "%25", "%C3%28", "!!!%20...", "%F0%9F%98%80"])
def test_search_with_no_words_is_the_nothing_found_page(client, prefix, raw):
    f.product(name_ru="Смартфон", name_kk="Смартфон", name_en="Smartphone")

    response = client.get(f"{prefix}/search/?q={raw}")

    assert response.status_code == 200
    assert b"search-q" in response.content


@pytest.mark.parametrize("sort", ["relevance", "price_asc", "%00", "name"])
def test_search_with_no_words_keeps_any_sort(client, sort):
    response = client.get(f"/search/?q=%21&sort={sort}&page=%00")

    assert response.status_code == 200


# --- The secret link's token (DataError: NUL in text) -----------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/orders/o/%00/"),
        ("get", "/orders/o/a%00b/"),
        ("post", "/orders/o/%00/cancel/"),
        ("get", "/payments/o/a%00/"),
        ("post", "/payments/o/a%00/"),
        ("get", "/payments/o/a%00/result/"),
        ("post", "/payments/o/a%00/result/"),
        ("post", "/payments/o/a%00/method/"),
    ],
)
def test_a_token_with_nul_is_no_order(client, prefix, method, path):
    f.placed_order()

    response = getattr(client, method)(f"{prefix}{path}", {"reason": "x", "method": "cod"})

    assert response.status_code == 404


def test_a_nul_in_the_cancellation_reason_is_a_form_message(client):
    order = f.placed_order()

    response = client.post(f"/en/orders/o/{order.access_token}/cancel/", {"reason": "please\x00cancel"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [NOT_ALLOWED["/en"]]
    order.refresh_from_db()
    assert order.cancellation_requested_at is None


# --- The coupon code (DataError: NUL in text) -------------------------------------------------------------------------


def _cart_in_session(client):
    variant = f.product(price="10000.00").variants.get()
    client.post("/cart/add/", {"variant": variant.pk, "quantity": 1})
    f.delivery_setup()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_nul_in_the_coupon_code_at_checkout_is_a_form_message(client, prefix):
    _cart_in_session(client)
    f.coupon("SALE10")

    response = client.post(f"{prefix}/checkout/", {"action": "apply_coupon", "coupon_code": "SALE\x0010"})

    assert response.status_code == 200
    assert NOT_ALLOWED[prefix] in response.content.decode()


def test_a_nul_in_the_coupon_code_typed_then_confirmed_is_a_form_message(client):
    _cart_in_session(client)

    response = client.post("/checkout/", {"action": "confirm", "coupon_code": "\x00", "email": "a\x00@b.kz"})

    assert response.status_code == 200
    assert NOT_ALLOWED[""] in response.content.decode()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_nul_in_the_coupon_endpoint_is_a_message(client, prefix):
    _cart_in_session(client)

    response = client.post(f"{prefix}/checkout/coupon/", {"coupon_code": "SALE\x0010", "email": "x\x00@y.kz"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == NOT_ALLOWED[prefix]


# --- Payment notifications: refused with 400, and the attempt is in the event log ------------------------------------


@pytest.mark.parametrize(
    "path,body,content_type",
    [
        ("/payments/notify/cloudpayments/check/", b"InvoiceId=1%00&Amount=100", "application/x-www-form-urlencoded"),
        ("/payments/notify/cloudpayments/pay/", b"InvoiceId=\x00&Amount=100", "application/x-www-form-urlencoded"),
        ("/payments/notify/cloudpayments/check/", b'{"InvoiceId": "1\\u0000"}', "application/json"),
        ("/payments/notify/cloudpayments/check/", b'{"InvoiceId": "\\ud800"}', "application/json"),
        ("/payments/notify/epay/post/", b'{"invoiceId": "1\\u0000", "code": "ok"}', "application/json"),
        ("/payments/notify/epay/post/", b'{"invoiceId": "\x00"}', "application/json"),
        ("/payments/notify/epay/failure/", b'{"invoiceId": "\\udfff", "reason": "x"}', "application/json"),
    ],
)
def test_a_notification_with_text_the_database_refuses_is_logged_and_refused(settings, path, body, content_type):
    settings.SHOP_PAYMENT_ADAPTERS = [
        "payments.adapters.cloudpayments.CloudPayments",
        "payments.adapters.epay.Epay",
        "payments.adapters.cod.CashOnDelivery",
    ]

    response = Client().post(path, body, content_type=content_type)

    assert response.status_code == 400
    event = PaymentEvent.objects.get()
    assert event.kind == PaymentEvent.Kind.NOTIFICATION
    assert not event.verified
    assert "\x00" not in event.payload
    assert "nvoiceId" in event.payload  # what arrived, escaped (form bodies keep %00, JSON \u0000)


def test_an_overlong_notification_is_logged_truncated(settings):
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.epay.Epay", "payments.adapters.cod.CashOnDelivery"]
    body = b'{"invoiceId": "\\u0000", "junk": "' + b"\x00" * 50_000 + b'"}'

    response = Client().post("/payments/notify/epay/post/", body, content_type="application/json")

    assert response.status_code == 400
    assert len(PaymentEvent.objects.get().payload) <= 20000
