"""The contact form "Создать обращение" (SUP-1): tickets with numbers, acknowledgement mail, spam control,
bad input, privacy of the thank-you page, and the support queue in the admin."""

import threading
from datetime import timedelta

import html5lib
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import SupportTicket
from accounts.support_forms import normalise_phone
from accounts.support_services import contact_rate_limit, create_ticket
from base.ratelimit import Rate, parse_rate

pytestmark = pytest.mark.django_db

CONTACT = "/en/contact/"
THANKS = "/en/contact/thanks/"
OTHER_IP = "10.20.30.40"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Every test client posts from 127.0.0.1: start each test with an empty counter."""
    for ip in ("127.0.0.1", OTHER_IP):
        contact_rate_limit.clear(ip)
    yield
    for ip in ("127.0.0.1", OTHER_IP):
        contact_rate_limit.clear(ip)


def form_data(**overrides) -> dict:
    data = {
        "name": "Айгүл Серікова",
        "email": "aigul@example.kz",
        "phone": "",
        "topic": SupportTicket.Topic.DELIVERY,
        "order_number": "",
        "message": "Где мой заказ? Прошла уже неделя, а курьер так и не позвонил.",
        "website": "",
    }
    data.update(overrides)
    return data


def en(text: str) -> str:
    with translation.override("en"):
        return gettext(text)


def assert_valid_html(response):
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")


# --- the happy paths --------------------------------------------------------------------------------------------


def test_sup1_guest_ticket_gets_a_number_and_an_acknowledgement_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT, form_data(order_number="A-1001"))
    assert response.status_code == 302
    assert response["Location"] == THANKS

    ticket = SupportTicket.objects.get()
    assert ticket.number == f"T-{ticket.pk:06d}"
    assert (ticket.name, ticket.email, ticket.phone) == ("Айгүл Серікова", "aigul@example.kz", "")
    assert ticket.topic == "delivery" and ticket.order_number == "A-1001"
    assert ticket.status == SupportTicket.Status.NEW and ticket.assignee is None and ticket.user is None
    assert ticket.language == "en" and ticket.ip_address == "127.0.0.1"

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["aigul@example.kz"]
    assert ticket.number in mail.subject and ticket.number in mail.body
    html, mime = mail.alternatives[0]
    assert mime == "text/html" and ticket.number in html and 'lang="en"' in html
    # the address is unverified: nothing the sender typed is mailed back (no spam relay)
    assert "курьер" not in mail.body and "курьер" not in html and "Айгүл" not in mail.body

    thanks = client.get(THANKS)
    assert thanks.status_code == 200
    assert ticket.number in thanks.content.decode()


def test_sup1_acknowledgement_is_written_in_the_customers_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/kk/contact/", form_data(email="dana@example.kz"))
    ticket = SupportTicket.objects.get()
    assert ticket.language == "kk"
    html, _ = mailoutbox[0].alternatives[0]
    assert 'lang="kk"' in html
    with translation.override("kk"):
        topic = str(SupportTicket.Topic.DELIVERY.label)
    assert topic in mailoutbox[0].body


@pytest.mark.parametrize("typed", ["8 701 123 45 67", "+7 (701) 123-45-67", "87011234567", "7011234567"])
def test_sup1_phone_only_is_stored_in_e164_and_no_mail_is_sent(
    client, mailoutbox, django_capture_on_commit_callbacks, typed
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT, form_data(email="", phone=typed))
    assert response.status_code == 302
    ticket = SupportTicket.objects.get()
    assert ticket.phone == "+77011234567" and ticket.email == ""
    assert mailoutbox == []


def test_sup1_signed_in_customer_gets_a_prefilled_form_and_the_ticket_is_linked(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="erlan@example.kz", password="pw-123456", full_name="Ерлан Ахметов", phone="+77017654321"
    )
    client.force_login(user)
    page = client.get(CONTACT)
    form = page.context["form"]
    assert form["name"].value() == "Ерлан Ахметов"
    assert form["email"].value() == "erlan@example.kz"
    assert form["phone"].value() == "+77017654321"
    html = page.content.decode()
    assert 'value="erlan@example.kz"' in html and 'value="Ерлан Ахметов"' in html

    client.post(CONTACT, form_data(name="Ерлан", email="erlan@example.kz"))
    assert SupportTicket.objects.get().user == user


def test_sup1_russian_page_is_the_default(client):
    response = client.get("/contact/")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()


# --- bad input: a clear message, never a 500 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Я" * 151}, "name"),
        ({"message": ""}, "message"),
        ({"message": "x" * 5001}, "message"),
        ({"order_number": "9" * 33}, "order_number"),
        ({"email": "not-an-e-mail"}, "email"),
        ({"email": "a@" + "b" * 300 + ".kz"}, "email"),
        ({"email": "", "phone": "12345"}, "phone"),
        ({"email": "", "phone": "call me maybe"}, "phone"),
        ({"phone": "+7 000 000 00 00"}, "phone"),
        ({"topic": "spam"}, "topic"),
        ({"topic": ""}, "topic"),
    ],
)
def test_sup1_bad_input_is_explained_and_nothing_is_saved(client, mailoutbox, overrides, field):
    response = client.post(CONTACT, form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'role="alert"' in html
    assert SupportTicket.objects.count() == 0 and mailoutbox == []
    assert_valid_html(response)


def test_sup1_a_contact_is_required(client):
    response = client.post(CONTACT, form_data(email="", phone=""))
    assert response.status_code == 200
    assert en("Give an e-mail or a phone number so that we can answer you.") in response.content.decode()
    assert SupportTicket.objects.count() == 0


def test_sup1_phone_error_message_is_clear(client):
    response = client.post(CONTACT, form_data(phone="12345"))
    assert en("Enter a valid phone number, for example +7 701 123 45 67.") in response.content.decode()


def test_sup1_missing_csrf_token_is_refused():
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(CONTACT).status_code == 200
    response = strict.post(CONTACT, form_data())
    assert response.status_code == 403
    assert SupportTicket.objects.count() == 0


def test_sup1_only_get_and_post(client):
    assert client.put(CONTACT).status_code == 405


def test_sup1_service_refuses_a_ticket_without_any_contact():
    with pytest.raises(ValidationError):
        create_ticket(name="Аноним", topic="other", message="Без контактов", email="", phone="")
    assert SupportTicket.objects.count() == 0


def test_sup1_phone_numbers_are_read_as_kazakh_and_written_in_e164():
    assert normalise_phone("8 (727) 250-00-00") == "+77272500000"
    assert normalise_phone("+49 30 901820") == "+4930901820"  # a foreign number with its country code
    with pytest.raises(ValidationError):
        normalise_phone("+7 123")


# --- spam control ------------------------------------------------------------------------------------------------


def test_sup1_filled_honeypot_pretends_success_and_stores_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTACT, form_data(website="http://cheap-pills.example"))
    assert response.status_code == 302 and response["Location"] == THANKS
    assert SupportTicket.objects.count() == 0 and mailoutbox == []
    thanks = client.get(THANKS)
    assert thanks.status_code == 200
    assert "T-0" not in thanks.content.decode()


def test_sup1_honeypot_is_hidden_from_people_and_screen_readers(client):
    html = client.get(CONTACT).content
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    parents = {child: parent for parent in tree.iter() for child in parent}
    trap = next(el for el in tree.iter("input") if el.get("name") == "website")
    assert trap.get("tabindex") == "-1" and trap.get("autocomplete") == "off"
    assert trap.get("required") is None
    box = parents[trap]
    assert box.get("aria-hidden") == "true" and "visually-hidden" in box.get("class", "")


def test_sup1_rate_limit_per_ip_refuses_with_429_and_saves_nothing(client, settings, mailoutbox):
    settings.SHOP_CONTACT_RATE_LIMIT = "2/h"
    for _ in range(2):
        assert client.post(CONTACT, form_data()).status_code == 302
    response = client.post(CONTACT, form_data(message="Третье сообщение за час."))
    assert response.status_code == 429
    html = response.content.decode()
    assert en("Too many messages from your network.") in html
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 3600
    minutes = -(-retry_after // 60)
    with translation.override("en"):
        expected = ngettext(
            "Your message was not sent. Please try again in %(minutes)s minute.",
            "Your message was not sent. Please try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    assert expected in html
    assert '<main id="main"' in html  # our page, with the form kept so nothing typed is lost
    assert "Третье сообщение за час." in html
    assert SupportTicket.objects.count() == 2
    assert_valid_html(response)

    # another address is not affected
    assert client.post(CONTACT, form_data(), REMOTE_ADDR=OTHER_IP).status_code == 302
    assert SupportTicket.objects.count() == 3


def test_sup1_rate_limit_counts_honeypot_hits_but_not_invalid_forms(client, settings):
    settings.SHOP_CONTACT_RATE_LIMIT = "1/h"
    for _ in range(3):  # a person correcting mistakes is not counted
        assert client.post(CONTACT, form_data(email="bad")).status_code == 200
    assert client.post(CONTACT, form_data(website="x")).status_code == 302
    assert client.post(CONTACT, form_data()).status_code == 429


def test_sup1_rate_limit_window_starts_again(client, settings):
    settings.SHOP_CONTACT_RATE_LIMIT = "1/h"
    start = timezone.now().replace(minute=5, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        assert client.post(CONTACT, form_data()).status_code == 302
        refused = client.post(CONTACT, form_data())
        assert refused.status_code == 429 and refused["Retry-After"] == str(55 * 60)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert client.post(CONTACT, form_data()).status_code == 302
        contact_rate_limit.clear("127.0.0.1")
    assert SupportTicket.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "rate"),
    [("5/h", Rate(5, 3600)), ("10/minute", Rate(10, 60)), ("3/15m", Rate(3, 900)), (" 1 / d ", Rate(1, 86400))],
)
def test_sup1_rate_setting_is_parsed(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "five/h", "0/h", "5/w", "5"])
def test_sup1_bad_rate_setting_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


# --- privacy: the thank-you page shows this session's ticket only ----------------------------------------------


def test_sup1_thank_you_page_never_shows_someone_elses_ticket(client):
    client.post(CONTACT, form_data())
    mine = SupportTicket.objects.get()
    assert mine.number in client.get(THANKS).content.decode()
    assert mine.number not in THANKS  # nothing guessable in the URL

    stranger = Client()
    response = stranger.get(THANKS)  # the same URL in another browser
    assert response.status_code == 302 and response["Location"] == CONTACT
    stranger.post(CONTACT, form_data(name="Другой", email="other@example.kz"))
    theirs = SupportTicket.objects.exclude(pk=mine.pk).get()
    html = stranger.get(THANKS).content.decode()
    assert theirs.number in html and mine.number not in html
    assert "aigul@example.kz" not in html and "Айгүл" not in html


def test_sup1_pages_are_valid_html(client, django_user_model):
    assert_valid_html(client.get(CONTACT))
    client.post(CONTACT, form_data())
    assert_valid_html(client.get(THANKS))
    user = django_user_model.objects.create_user(email="valid@example.kz", password="pw-123456")
    client.force_login(user)
    assert_valid_html(client.get("/contact/"))


# --- numbering under concurrency ---------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sup1_ticket_numbers_are_unique_under_concurrency():
    numbers, errors = [], []
    barrier = threading.Barrier(8)

    def send(n):
        try:
            barrier.wait()
            ticket = create_ticket(name=f"Клиент {n}", topic="other", message="Вопрос", phone="+77011234567")
            numbers.append(ticket.number)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 8
    assert sorted(numbers) == sorted(t.number for t in SupportTicket.objects.all())
    assert all(t.number == f"T-{t.pk:06d}" for t in SupportTicket.objects.all())


# --- the support queue in the admin -------------------------------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(email="support@example.kz", password="pw-123456")


@pytest.fixture
def tickets(staff):
    first = create_ticket(
        name="Айгүл", topic="delivery", message="Курьер опаздывает", email="aigul@example.kz", order_number="A-77"
    )
    second = create_ticket(name="Болат", topic="payment", message="Kaspi не проходит", phone="+77015550011")
    second.status, second.assignee = SupportTicket.Status.IN_PROGRESS, staff
    second.save()
    return first, second


def test_sup1_admin_queue_lists_filters_and_searches(client, staff, tickets):
    first, second = tickets
    client.force_login(staff)
    url = "/admin/accounts/supportticket/"
    html = client.get(url).content.decode()
    assert first.number in html and second.number in html
    assert "aigul@example.kz" in html and "+77015550011" in html
    for query, shown, hidden in [
        ("?q=" + first.number, first, second),
        ("?q=%2B77015550011", second, first),
        ("?q=A-77", first, second),
        ("?q=kaspi", second, first),
        ("?q=Айгүл", first, second),  # exact case: SQLite folds only ASCII (Postgres: any case)
        ("?topic__exact=payment", second, first),
        ("?status__exact=new", first, second),
        (f"?assignee__id__exact={staff.pk}", second, first),
    ]:
        html = client.get(url + query).content.decode()
        assert shown.number in html and hidden.number not in html, query


def test_sup1_admin_edits_status_and_assignee_but_not_what_the_customer_wrote(client, staff, tickets):
    first, _ = tickets
    client.force_login(staff)
    url = f"/admin/accounts/supportticket/{first.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert set(form.fields) == {"topic", "status", "assignee"}
    response = client.post(
        url,
        {
            "topic": "delivery",
            "status": "in_progress",
            "assignee": staff.pk,
            "name": "Изменено",
            "message": "X",
            # the reply thread's empty form (issue 16), left empty: nothing is sent
            "replies-TOTAL_FORMS": "1",
            "replies-INITIAL_FORMS": "0",
            "replies-0-message": "",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "in_progress" and first.assignee == staff
    assert first.name == "Айгүл" and first.message == "Курьер опаздывает"


def test_sup1_admin_status_and_assignee_are_editable_in_the_list(client, staff, tickets):
    first, second = tickets
    client.force_login(staff)
    url = "/admin/accounts/supportticket/"
    formset = client.get(url).context["cl"].formset
    assert [form.instance for form in formset.forms] == [second, first]  # newest first
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Save"}
    for i, (ticket, status, assignee) in enumerate([(second, "closed", ""), (first, "waiting", staff.pk)]):
        data.update({f"form-{i}-id": ticket.pk, f"form-{i}-status": status, f"form-{i}-assignee": assignee})
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.assignee, second.status, second.assignee) == ("waiting", staff, "closed", None)


def test_sup1_admin_queue_uses_constant_queries(client, staff, django_user_model):
    for n in range(3):
        django_user_model.objects.create_user(email=f"agent{n}@example.kz", password="pw-123456", is_staff=True)
    client.force_login(staff)
    counts = []
    for total in (2, 30):
        while SupportTicket.objects.count() < total:
            create_ticket(name="Клиент", topic="other", message="Вопрос", phone="+77011234567")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/accounts/supportticket/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_sup1_tickets_are_not_added_by_hand_and_not_visible_to_customers(client, staff, django_user_model, tickets):
    client.force_login(staff)
    assert client.get("/admin/accounts/supportticket/add/").status_code == 403
    customer = django_user_model.objects.create_user(email="curious@example.kz", password="pw-123456")
    client.force_login(customer)
    response = client.get(f"/admin/accounts/supportticket/{tickets[0].pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
