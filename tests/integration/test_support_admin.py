"""Support in the admin (SUP-2, issue 16 item 7), through the test client as a member of the Support group:
answering a ticket in its thread (mailed in the customer's language), the ticket's links to the customer and
the order, and an orders list written as the shop writes — money, payment method names, plurals, the shop's name."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from accounts.models import SupportReply, SupportTicket
from accounts.support_services import create_ticket
from orders.admin import payment_label
from orders.fulfilment import services as fulfilment
from payments.models import Payment
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def agent(django_user_model):
    user = django_user_model.objects.create_user(email="support@example.kz", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name="Support"))
    return user


@pytest.fixture
def support(client, agent):
    client.force_login(agent)
    return client


def change_url(ticket):
    return reverse("admin:accounts_supportticket_change", args=[ticket.pk])


def reply_post(ticket, message, *, replies_sent=0, **ticket_fields) -> dict:
    """The ticket's change form as the browser posts it: the triage fields and the thread's one empty form."""
    data = {
        "topic": ticket.topic,
        "status": ticket.status,
        "assignee": ticket.assignee_id or "",
        "replies-TOTAL_FORMS": str(replies_sent + 1),
        "replies-INITIAL_FORMS": str(replies_sent),
        "replies-MIN_NUM_FORMS": "0",
        "replies-MAX_NUM_FORMS": "1000",
        f"replies-{replies_sent}-message": message,
        f"replies-{replies_sent}-ticket": str(ticket.pk),
        f"replies-{replies_sent}-id": "",
        "_continue": "1",
    }
    for n, reply in enumerate(ticket.replies.order_by("created_at", "pk")):
        data.update({f"replies-{n}-id": str(reply.pk), f"replies-{n}-ticket": str(ticket.pk)})
    data.update(ticket_fields)
    return data


def kazakh_ticket(**overrides):
    values = {
        "name": "Айгүл",
        "topic": "delivery",
        "message": "Курьер келмеді. Менің тапсырысым қайда?",
        "email": "aigul@example.kz",
        "order_number": "",
        "language": "kk",
    }
    values.update(overrides)
    return create_ticket(**values)


def test_sup2_support_replies_from_the_admin_mailed_in_the_customers_language(
    support, agent, mailoutbox, django_capture_on_commit_callbacks
):
    # given: a ticket written on the Kazakh site; its acknowledgement is already out
    with django_capture_on_commit_callbacks(execute=True):
        ticket = kazakh_ticket()
    mailoutbox.clear()
    # when: Support answers from the ticket's page
    with django_capture_on_commit_callbacks(execute=True):
        response = support.post(
            change_url(ticket), reply_post(ticket, "Сәлеметсіз бе! Курьер ертең 12:00-ге дейін келеді.")
        )
    # then: the reply is in the thread, by the agent, and mailed to the customer in Kazakh
    assert response.status_code == 302, response.content[:2000]
    reply = SupportReply.objects.get()
    assert (reply.ticket, reply.author, reply.mailed_to) == (ticket, agent, "aigul@example.kz")
    assert reply.message == "Сәлеметсіз бе! Курьер ертең 12:00-ге дейін келеді."
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["aigul@example.kz"] and ticket.number in mail.subject
    assert "Курьер ертең 12:00-ге дейін келеді." in mail.body
    html = mail.alternatives[0][0]
    assert '<html lang="kk">' in html and "Жеткізу" in html  # the topic, in Kazakh
    # the customer's own (unverified) text is never mailed back
    assert "Менің тапсырысым қайда" not in mail.body + html
    # a new ticket that got its answer waits for the customer and belongs to whoever answered
    ticket.refresh_from_db()
    assert ticket.status == SupportTicket.Status.WAITING and ticket.assignee == agent
    assert any("aigul@example.kz" in str(m) for m in get_messages(response.wsgi_request))
    # the thread shows the sent reply, read-only, and an empty form for the next one
    page = support.get(change_url(ticket))
    text = page.content.decode()
    assert "Курьер ертең 12:00-ге дейін келеді." in text
    assert text.count('name="replies-') and 'name="replies-0-message"' not in text
    assert 'name="replies-1-message"' in text


def test_sup2_a_sent_reply_is_never_edited_and_the_thread_grows(
    support, mailoutbox, django_capture_on_commit_callbacks
):
    # given: one reply already sent
    ticket = kazakh_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        support.post(change_url(ticket), reply_post(ticket, "Бірінші жауап"))
    ticket.refresh_from_db()
    first = SupportReply.objects.get()
    # when: the next post tries to rewrite the first reply and adds a second one
    data = reply_post(ticket, "Екінші жауап", replies_sent=1)
    data["replies-0-message"] = "Подменённый текст"
    with django_capture_on_commit_callbacks(execute=True):
        assert support.post(change_url(ticket), data).status_code == 302
    # then
    assert list(ticket.replies.values_list("message", flat=True)) == ["Бірінші жауап", "Екінші жауап"]
    first.refresh_from_db()
    assert first.message == "Бірінші жауап"


def test_sup2_a_ticket_with_a_phone_only_keeps_the_reply_and_says_to_call(
    support, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = kazakh_ticket(email="", phone="+77015550011")
    with django_capture_on_commit_callbacks(execute=True):
        response = support.post(change_url(ticket), reply_post(ticket, "Перезвоним вам сегодня."))
    assert response.status_code == 302
    assert SupportReply.objects.get().mailed_to == "" and mailoutbox == []
    assert any("call the customer" in str(m) for m in get_messages(response.wsgi_request))


def test_sup2_a_reply_with_a_nul_byte_is_a_form_error_not_a_500(support, mailoutbox):
    ticket = kazakh_ticket()
    response = support.post(change_url(ticket), reply_post(ticket, "Жауап\x00"))
    assert response.status_code == 200
    assert "characters that are not allowed" in response.content.decode()
    assert not SupportReply.objects.exists()


def test_sup2_an_empty_reply_form_sends_nothing(support, mailoutbox, django_capture_on_commit_callbacks):
    ticket = kazakh_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        response = support.post(change_url(ticket), reply_post(ticket, "", status="in_progress"))
    assert response.status_code == 302
    assert not SupportReply.objects.exists() and mailoutbox == []
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


def test_sup2_ticket_links_to_the_customer_and_to_the_order_it_names(support, django_user_model):
    # given: a customer's order and a ticket that names it in other letter case
    customer = django_user_model.objects.create_user(email="buyer@example.kz", password="pw-123456")
    setup = f.delivery_setup()
    order = f.placed_order(setup, user=customer)
    other = f.placed_order(setup)
    ticket = kazakh_ticket(user=customer, email=customer.email, order_number=f" {order.number.lower()} ")
    # when
    page = support.get(change_url(ticket)).content.decode()
    # then: the customer's account …
    user_url = reverse("admin:accounts_user_change", args=[customer.pk])
    assert f'href="{user_url}"' in page
    assert support.get(user_url).status_code == 200  # Support may read the account it links to
    # … and the order, which the link lists alone
    order_link = re.search(r'href="(/en/admin/orders/order/\?number__iexact=[^"]+)"', page).group(1)
    listing = support.get(order_link.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert [o.pk for o in listing.context["cl"].result_list] == [order.pk]
    assert other.number not in listing.content.decode()


def test_sup2_a_guests_ticket_offers_the_accounts_with_their_email(support):
    ticket = kazakh_ticket(order_number="")
    page = support.get(change_url(ticket)).content.decode()
    assert f"{reverse('admin:accounts_user_changelist')}?q=aigul%40example.kz" in page


def test_sup2_order_list_writes_money_payment_names_and_plurals_as_the_shop(support):
    # given: 14 orders, 47 090 ₸ each, cash on delivery, to Almaty
    setup = f.delivery_setup()
    orders = [f.placed_order(setup, items=(("47090.00", 1),)) for _ in range(14)]
    order = orders[0]
    assert order.payment_method == "cod"
    money = f"{order.total:,.0f}".replace(",", "\u202f") + "\u00a0₸"
    # when
    page = support.get(reverse("admin:orders_order_changelist"))
    text = page.content.decode()
    # then: the columns support works from, written as the shop writes them
    assert page.status_code == 200
    assert money in text and f"{order.total}" not in text  # "47 090 ₸", never "47090.00"
    assert ">Cash or card on delivery<" in text and ">cod<" not in text
    assert setup.city.name in text
    assert "column-is_paid" in text and "column-cancellation_flag" in text
    assert "14 orders" in text
    # plurals in Russian: "14 заказов", not "14 заказы"
    # (the phrase is ngettext's, so this holds before and after the catalogues are compiled)
    with translation.override("ru"):
        ru = support.get(reverse("admin:orders_order_changelist")).content.decode()
        fourteen = ngettext("%(count)s order", "%(count)s orders", 14) % {"count": 14}
    assert fourteen in ru and "14 заказы" not in ru
    # the order's own page writes its totals the same way
    detail = support.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert "47\u202f090\u00a0₸" in detail and "47090.00" not in detail


def test_sup2_admin_says_the_shops_name_not_django(support, settings):
    page = support.get(reverse("admin:index")).content.decode()
    assert "Django" not in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "Django administration" not in page
    assert settings.SHOP_NAME in page


@pytest.mark.all_methods
def test_sup2_payments_and_refunds_lists_write_money_and_method_names_as_the_shop(
    support, agent, django_capture_on_commit_callbacks
):
    # given: a card payment of 47 090 ₸ and, after the cancellation, its refund due
    setup = f.delivery_setup()
    order = f.placed_order(setup, items=(("47090.00", 1),), payment_method="cloudpayments")
    Payment.objects.create(order=order, adapter="cloudpayments", invoice_id="INV-1", amount=order.total)
    money = f"{order.total:,.0f}".replace(",", "\u202f") + "\u00a0₸"
    # when
    payments = support.get(reverse("admin:payments_payment_changelist")).content.decode()
    # then
    assert money in payments and f">{order.total}<" not in payments
    assert ">cloudpayments<" not in payments and payment_label("cloudpayments") in payments
    # and the refunds owed are written the same way
    fulfilment.confirm_order(order=order, actor=agent)
    fulfilment.mark_paid(order=order, actor=None, amount=order.total)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.cancel_order(order=order, actor=agent, reason="Нет цвета")
    refunds = support.get(reverse("admin:returns_refund_changelist")).content.decode()
    assert money in refunds and f">{order.total}<" not in refunds
