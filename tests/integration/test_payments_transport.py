"""PAY-6: calls to the sandbox host never leave the process, and only the sandbox host; real providers are called
over HTTPS only, and a sandbox call is refused when the sandbox is off (production)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from payments import transport

pytestmark = pytest.mark.django_db


def test_pay6_a_sandbox_url_is_served_in_process_through_the_full_request_stack(settings):
    # given: the notification endpoint, which answers 405 to anything but POST
    url = f"http://{settings.SHOP_PAYMENT_SANDBOX_HOST}/payments/notify/cod/pay/"
    # when
    answer = transport.send("POST", url, data={"a": "1"})
    get = transport.send("GET", f"http://{settings.SHOP_PAYMENT_SANDBOX_HOST}/healthz")
    # then: our own views answered (404: cash on delivery takes no callbacks), headers and all
    assert answer.status == 404
    assert get.status == 200


def test_pay6_the_sandbox_is_refused_when_it_is_off(settings):
    settings.SHOP_PAYMENT_SANDBOX = False
    with pytest.raises(ImproperlyConfigured):
        transport.send("GET", f"http://{settings.SHOP_PAYMENT_SANDBOX_HOST}/healthz")


def test_pay2_real_providers_are_called_over_https_only():
    with pytest.raises(ImproperlyConfigured):
        transport.send("POST", "http://api.example.kz/payments/refund", json={"TransactionId": 1})


def test_pay6_an_unreachable_provider_is_a_transport_error_not_a_crash():
    with pytest.raises(transport.TransportError):
        transport.send("GET", "https://127.0.0.1:9/", timeout=2)


def test_pay6_the_callers_language_survives_an_in_process_call(settings):
    from django.utils import translation

    with translation.override("kk"):
        transport.send("GET", f"http://{settings.SHOP_PAYMENT_SANDBOX_HOST}/en/")
        assert translation.get_language() == "kk"
