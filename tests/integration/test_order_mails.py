"""ORD-7 order mails: received, confirmed, paid, shipped, delivered, cancelled — queued after commit by the
fulfilment and checkout services, rendered by the Celery task in the language the customer ordered in, each
with the order's secret link. Tasks run eagerly here; one test goes through a real worker on Redis."""

import os

import html5lib
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from config.celery import app
from orders.delivery.carriers import get_carrier
from orders.fulfilment import services as fulfilment
from orders.fulfilment.notifications import KINDS, notify
from orders.models import OrderStatus
from tests import factories as f
from tests.payment_doubles import COD
from tests.payment_doubles import TEST_CARD as PREPAID
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db

GREETING = {
    "ru": "Здравствуйте, Айгерим Сапарова!",
    "kk": "Сәлеметсіз бе, Айгерим Сапарова!",
    "en": "Hello, Айгерим Сапарова!",
}


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture
def prepaid(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [COD, PREPAID]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(email="staff@example.kz", password="pw-123456", is_staff=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed: the queued mails are sent (eagerly) at its end."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def link_of(order) -> str:
    with translation.override(order.language):
        path = reverse("orders:detail", kwargs={"token": order.access_token})
    return f"{django_settings.SHOP_BASE_URL}{path}"


def html_of(message) -> str:
    body, kind = message.alternatives[0]
    assert kind == "text/html"
    html5lib.HTMLParser(strict=True).parse(body)
    return body


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def place(setup, committed, **overrides):
    with committed():
        order = f.placed_order(setup, **overrides)
    return order


# --- received ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_ord7_received_mail_is_written_in_the_orders_language_with_the_link(setup, committed, mailoutbox, language):
    # given: the shopper's request runs in another language than the one they ordered in
    with translation.override("en" if language != "en" else "ru"):
        # when
        order = place(setup, committed, items=(("10000.00", 2), ("5000.00", 1)), language=language)
    # then
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [order.email]
    assert order.number in message.subject
    body, html = plain(message.body), plain(html_of(message))
    assert body.startswith(GREETING[language])
    assert GREETING[language] in html and f'<html lang="{language}">' in html
    assert link_of(order) in body and f'href="{link_of(order)}"' in html
    assert (f"/{language}/orders/o/" in body) == (language != "ru")
    for line in order.lines.all():
        assert line.product_name in body and line.product_name in html
    assert "20 000 ₸" in body and "25 000 ₸" in body  # a line total, the goods
    assert f"{order.total:,.0f} ₸".replace(",", " ") in body
    assert order.delivery_address_text in body


def test_ord7_received_mail_in_english_says_what_happens_next(setup, committed, mailoutbox):
    f.coupon("SALE10")
    order = place(setup, committed, language="en", coupon_code="SALE10")
    message = mailoutbox[0]
    assert message.subject == f"Order {order.number} received — {django_settings.SHOP_NAME}"
    body = plain(message.body)
    assert f"We have received your order {order.number}." in body
    assert "a manager checks the order and confirms it" in body
    assert "Discount (coupon SALE10): −1 000 ₸" in body
    assert "Delivery: Courier service" in body
    assert "Estimated delivery:" in body
    assert "Payment: Cash or card on delivery" in body


# --- the status mails ----------------------------------------------------------------------------------------------


def test_ord7_confirmed_mail(setup, committed, mailoutbox, staff):
    order = place(setup, committed, language="en")
    with committed():
        fulfilment.confirm_order(order=order, actor=staff)
    message = mailoutbox[-1]
    assert message.subject == f"Order {order.number} confirmed — {django_settings.SHOP_NAME}"
    assert "You pay on delivery." in message.body
    assert link_of(order) in message.body


def test_ord7_paid_mail_says_being_assembled(setup, committed, mailoutbox, staff, prepaid):
    order = place(setup, committed, language="en", payment_method="testcard")
    with committed():
        fulfilment.confirm_order(order=order, actor=staff)
        fulfilment.mark_paid(order=order, actor=staff, amount=order.total)
    message = mailoutbox[-1]
    assert message.subject == f"Order {order.number} paid — being assembled"
    assert "the order is paid and is being assembled" in message.body
    assert f"{order.total:,.0f} ₸".replace(",", " ") in plain(message.body)
    assert link_of(order) in message.body


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_ord7_shipped_mail_carries_the_tracking_number_and_the_carriers_link(
    setup, committed, mailoutbox, staff, language
):
    # given
    order = place(setup, committed, language=language)
    fulfilment.confirm_order(order=order, actor=staff)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
    mailoutbox.clear()
    # when
    with committed():
        fulfilment.mark_shipped(order=order, actor=staff, tracking_number="CDEK-42")
    # then
    [message] = mailoutbox
    tracking_url = get_carrier().tracking_url("CDEK-42")
    assert order.number in message.subject
    assert message.body.startswith(GREETING[language])
    assert "CDEK-42" in message.body and tracking_url in message.body
    assert f'href="{tracking_url.replace("&", "&amp;")}"' in html_of(message)
    assert link_of(order) in message.body


def test_ord7_delivered_mail(setup, committed, mailoutbox, staff):
    order = place(setup, committed, language="en")
    fulfilment.confirm_order(order=order, actor=staff)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
    fulfilment.mark_shipped(order=order, actor=staff, tracking_number="CDEK-42")
    with committed():
        fulfilment.set_status(order=order, target=OrderStatus.DELIVERED, actor=staff)
    message = mailoutbox[-1]
    assert message.subject == f"Order {order.number} delivered — {django_settings.SHOP_NAME}"
    assert f"within {django_settings.SHOP_WITHDRAWAL_DAYS} days" in message.body
    assert link_of(order) in message.body


def test_ord7_a_refused_order_mail_gives_the_shops_reason_and_nothing_to_refund(setup, committed, mailoutbox, staff):
    order = place(setup, committed, language="en")
    with committed():
        fulfilment.refuse_order(order=order, actor=staff, reason="Out of stock at the warehouse")
    message = mailoutbox[-1]
    assert message.subject == f"Order {order.number} cancelled — {django_settings.SHOP_NAME}"
    assert "Reason: Out of stock at the warehouse" in message.body
    assert "Reason: Out of stock at the warehouse" in html_of(message)
    assert "Nothing was charged" in message.body and "refunded" not in message.body


def test_ord7_a_paid_cancelled_order_mail_says_the_refund_follows(setup, committed, mailoutbox, staff, prepaid):
    order = place(setup, committed, language="en", payment_method="testcard")
    fulfilment.confirm_order(order=order, actor=staff)
    fulfilment.mark_paid(order=order, actor=staff, amount=order.total)
    with committed():
        fulfilment.cancel_order(order=order, actor=staff)
    message = mailoutbox[-1]
    assert "cancelled" in message.subject
    body = plain(message.body)
    assert f"the {order.total:,.0f} ₸ you paid will be refunded the way you paid".replace(",", " ") in body
    assert "Reason:" not in body


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_ord7_every_mail_renders_in_every_language(setup, committed, mailoutbox, kind, language):
    order = place(setup, committed, language=language)
    mailoutbox.clear()
    with committed():
        notify(order, kind, reason="Причина")
    [message] = mailoutbox
    assert order.number in message.subject and "\n" not in message.subject
    assert message.body.startswith(GREETING[language])
    assert link_of(order) in message.body
    assert f'<html lang="{language}">' in html_of(message)
    assert "{%" not in message.body and "{{" not in message.body


# --- through a real worker -----------------------------------------------------------------------------------------


@pytest.fixture
def redis_worker(settings):
    """A real worker thread consuming a queue of this test run's own on the Redis broker (as test_celery.py)."""
    queue = f"test-orders-{os.getpid()}"
    previous = {k: app.conf[k] for k in ("task_always_eager", "task_default_queue", "broker_url")}
    app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=settings.REDIS_URL)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_ord7_received_mail_goes_through_the_worker_in_the_orders_language(redis_worker, mailoutbox):
    # given (delivery_setup re-seeds the cities when an earlier transactional test flushed them)
    setup = f.delivery_setup()
    # when: the order commits in an English request, for a Kazakh-speaking customer
    with translation.override("en"):
        order = f.placed_order(setup, language="kk")
    # then
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not send the mail"
    message = mail.outbox[0]
    assert message.to == [order.email]
    assert order.number in message.subject
    assert message.body.startswith(GREETING["kk"])
    assert link_of(order) in message.body and "/kk/orders/o/" in message.body
