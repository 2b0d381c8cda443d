"""The personal cabinet (ACC-3) through the test client on the real database: each page for its owner, other
customers' records out of reach, bad input answered with a message (never a 500), data export and the
anonymising account deletion. Browsing stays open to everyone (ACC-2).

allauth's rate-limit counters are reset around every test by the autouse fixture in tests/conftest.py."""

import json
import uuid
from datetime import timedelta

import html5lib
import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.models import Address, SupportTicket, TermsAcceptance, User

pytestmark = pytest.mark.django_db

PASSWORD = "Alatau-Peak-2024!"


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args or None)


def t(message, language="en"):
    with translation.override(language):
        return translation.gettext(message)


def make_customer(email="aigerim@example.kz", **fields):
    fields.setdefault("full_name", "Айгерім Нұрланқызы")
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_address(user, **fields):
    data = {
        "recipient": user.full_name or "Recipient",
        "phone": "+77011234567",
        "city": "Алматы",
        "street": "пр. Абая, 10",
    }
    data.update(fields)
    return services.create_address(user=user, **data)


def address_post(**overrides):
    data = {
        "label": "Дом",
        "recipient": "Айгерім Нұрланқызы",
        "phone": "8 701 123 45 67",
        "city": "Алматы",
        "street": "ул. Жибек Жолы, 50",
        "apartment": "12",
        "postal_code": "050000",
        "comment": "Домофон 12",
    }
    data.update(overrides)
    return data


@pytest.fixture
def customer():
    return make_customer()


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def assert_valid_html(response):
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")


# --- ACC-2: only the cabinet needs an account -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/en/", "/kk/", "/catalog/", "/cart/"])
def test_acc2_browsing_needs_no_login(client, path):
    response = client.get(path)
    assert response.status_code == 200


def test_acc3_header_icon_leads_to_the_cabinet(client, customer):
    assert f'href="{url("accounts:overview")}"' in client.get("/en/").content.decode()
    client.force_login(customer)
    assert client.get(url("accounts:overview")).status_code == 200


CABINET_URLS = [
    ("accounts:overview", False),
    ("accounts:orders", False),
    ("accounts:returns", False),
    ("accounts:bonuses", False),
    ("accounts:profile", False),
    ("accounts:addresses", False),
    ("accounts:address_add", False),
    ("accounts:address_edit", True),
    ("accounts:address_delete", True),
    ("accounts:address_default", True),
    ("accounts:data", False),
    ("accounts:delete", False),
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "takes_id"), CABINET_URLS)
def test_acc3_every_cabinet_url_sends_anonymous_visitors_to_login(client, customer, name, takes_id, method, language):
    address = make_address(customer)
    path = url(name, *([address.pk] if takes_id else []), language=language)
    response = getattr(client, method)(path)
    assert response.status_code == 302
    login, _, query = response["Location"].partition("?")
    assert login == url("account_login", language=language)
    assert query == f"next={path}"
    assert Address.objects.filter(pk=address.pk).exists()


# --- Overview and the pages later issues fill -------------------------------------------------------------------


def test_acc3_overview_greets_by_name_and_links_every_section(signed_in, customer):
    response = signed_in.get(url("accounts:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert customer.full_name in html
    for name in ("orders", "returns", "bonuses", "profile", "addresses", "data"):
        assert f'href="{url("accounts:" + name)}"' in html
    assert f'href="{url("accounts:overview")}" aria-current="page"' in html
    assert response["Cache-Control"].count("no-store") == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("accounts:orders", "Your orders will appear here after your first purchase"),
        ("accounts:returns", "You have no returns or warranty claims."),
        ("accounts:bonuses", "You have no bonuses yet."),
    ],
)
def test_acc3_orders_returns_and_bonus_pages_explain_what_will_appear(signed_in, name, text):
    response = signed_in.get(url(name))
    assert response.status_code == 200
    assert t(text).split(".")[0] in response.content.decode()
    assert f'href="{url(name)}" aria-current="page"' in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["overview", "orders", "returns", "bonuses", "profile", "addresses", "address_add", "data", "delete"],
)
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_acc3_cabinet_pages_are_valid_html5(signed_in, customer, name, language):
    make_address(customer, label="Дом & <офис>")
    response = signed_in.get(url(f"accounts:{name}", language=language))
    assert response.status_code == 200
    assert_valid_html(response)


def test_acc3_address_edit_and_delete_pages_are_valid_html5(signed_in, customer):
    address = make_address(customer)
    for name in ("accounts:address_edit", "accounts:address_delete"):
        response = signed_in.get(url(name, address.pk))
        assert response.status_code == 200
        assert_valid_html(response)
    response = signed_in.post(
        url("accounts:profile"), {"full_name": "x" * 500, "phone": "12", "preferred_language": "en"}
    )
    assert_valid_html(response)


# --- Profile -----------------------------------------------------------------------------------------------------


def test_acc3_profile_shows_the_data_and_links_to_email_management(signed_in, customer):
    customer.phone = "+77011234567"
    customer.save()
    html = signed_in.get(url("accounts:profile")).content.decode()
    assert customer.full_name in html
    assert customer.email in html
    assert 'value="+77011234567"' in html
    assert f'href="{url("account_email")}"' in html


def test_acc3_profile_correction_is_saved_with_the_phone_in_e164(signed_in, customer):
    response = signed_in.post(
        url("accounts:profile"),
        {"full_name": "  Айгерім Сейітова ", "phone": "8 (701) 765-43-21", "preferred_language": "kk"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("accounts:profile")
    customer.refresh_from_db()
    assert customer.full_name == "Айгерім Сейітова"
    assert customer.phone == "+77017654321"
    assert customer.preferred_language == "kk"
    assert customer.marketing_opt_in is False
    assert customer.marketing_opt_in_changed_at is None  # the choice did not change
    assert t("Your profile has been saved.") in signed_in.get(url("accounts:profile")).content.decode()


def test_acc3_marketing_opt_in_change_is_time_stamped(signed_in, customer):
    before = timezone.now()
    data = {"full_name": customer.full_name, "phone": "", "preferred_language": "ru", "marketing_opt_in": "on"}
    signed_in.post(url("accounts:profile"), data)
    customer.refresh_from_db()
    assert customer.marketing_opt_in is True
    opted_in_at = customer.marketing_opt_in_changed_at
    assert opted_in_at >= before

    signed_in.post(url("accounts:profile"), data)  # the same choice again: the time of consent stays
    customer.refresh_from_db()
    assert customer.marketing_opt_in_changed_at == opted_in_at

    signed_in.post(url("accounts:profile"), {**data, "marketing_opt_in": ""})
    customer.refresh_from_db()
    assert customer.marketing_opt_in is False
    assert customer.marketing_opt_in_changed_at > opted_in_at


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12345"),
        ("phone", "+7 701 123 45 67 89"),
        ("phone", "not a phone"),
        ("phone", "9" * 500),
        ("full_name", "Ж" * 151),
        ("full_name", "bad\x00name"),
        ("preferred_language", "de"),
    ],
)
def test_acc3_bad_profile_input_gets_a_clear_error_and_changes_nothing(signed_in, customer, field, value):
    data = {"full_name": "New Name", "phone": "+77011234567", "preferred_language": "en", field: value}
    response = signed_in.post(url("accounts:profile"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'id="id_{field}_error"' in html
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert 'aria-invalid="true"' in html
    customer.refresh_from_db()
    assert customer.full_name == "Айгерім Нұрланқызы"
    assert customer.phone == ""
    if field == "phone" and len(value) <= 32:
        assert t("Enter a valid phone number, for example +7 701 123 45 67.") in html


def test_acc3_invalid_profile_does_not_leak_into_the_page_header(signed_in, customer):
    response = signed_in.post(
        url("accounts:profile"), {"full_name": "Hacker", "phone": "1", "preferred_language": "en"}
    )
    assert response.context["user"].full_name == customer.full_name


# --- Addresses ---------------------------------------------------------------------------------------------------


def test_acc3_first_address_becomes_the_default(signed_in, customer):
    response = signed_in.post(url("accounts:address_add"), address_post())
    assert response.status_code == 302
    assert response["Location"] == url("accounts:addresses")
    address = Address.objects.get(user=customer)
    assert address.is_default
    assert address.phone == "+77011234567"
    assert address.postal_code == "050000"
    html = signed_in.get(url("accounts:addresses")).content.decode()
    assert "ул. Жибек Жолы, 50" in html
    assert "+7 701 123 4567" in html
    assert t("Default") in html


def test_acc3_later_address_is_default_only_when_asked(signed_in, customer):
    first = make_address(customer)
    signed_in.post(url("accounts:address_add"), address_post(street="Second street 2"))
    second = Address.objects.get(user=customer, street="Second street 2")
    first.refresh_from_db()
    assert first.is_default and not second.is_default

    signed_in.post(url("accounts:address_add"), address_post(street="Third street 3", make_default="on"))
    third = Address.objects.get(user=customer, street="Third street 3")
    assert third.is_default
    assert Address.objects.filter(user=customer, is_default=True).count() == 1


def test_acc3_make_default_moves_the_single_default(signed_in, customer):
    first = make_address(customer)
    second = make_address(customer, street="Second 2")
    response = signed_in.post(url("accounts:address_default", second.pk))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default and not first.is_default
    assert Address.objects.filter(user=customer, is_default=True).count() == 1
    # making the default the default again changes nothing
    signed_in.post(url("accounts:address_default", second.pk))
    assert list(Address.objects.filter(user=customer, is_default=True)) == [second]


def test_acc3_make_default_is_post_only(signed_in, customer):
    address = make_address(customer)
    assert signed_in.get(url("accounts:address_default", address.pk)).status_code == 405


def test_acc3_deleting_the_default_makes_the_most_recent_remaining_one_default(signed_in, customer):
    oldest = make_address(customer, street="Oldest 1")
    newest = make_address(customer, street="Newest 3")
    middle = make_address(customer, street="Middle 2")
    Address.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - timedelta(days=3))
    Address.objects.filter(pk=middle.pk).update(created_at=timezone.now() - timedelta(days=2))
    Address.objects.filter(pk=newest.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert Address.objects.get(is_default=True, user=customer) == oldest

    confirm = signed_in.get(url("accounts:address_delete", oldest.pk))
    assert confirm.status_code == 200
    assert "Oldest 1" in confirm.content.decode()
    assert Address.objects.filter(pk=oldest.pk).exists()  # GET only asks

    response = signed_in.post(url("accounts:address_delete", oldest.pk))
    assert response.status_code == 302
    assert not Address.objects.filter(pk=oldest.pk).exists()
    assert Address.objects.get(is_default=True, user=customer) == newest


def test_acc3_deleting_another_address_keeps_the_default(signed_in, customer):
    default = make_address(customer)
    other = make_address(customer, street="Other 5")
    signed_in.post(url("accounts:address_delete", other.pk))
    assert list(Address.objects.filter(user=customer)) == [default]
    assert Address.objects.get(user=customer).is_default


def test_acc3_deleting_the_last_address_leaves_none(signed_in, customer):
    only = make_address(customer)
    signed_in.post(url("accounts:address_delete", only.pk))
    assert not Address.objects.filter(user=customer).exists()
    signed_in.post(url("accounts:address_add"), address_post())
    assert Address.objects.get(user=customer).is_default


def test_acc3_edit_corrects_an_address_and_keeps_the_default(signed_in, customer):
    address = make_address(customer)
    html = signed_in.get(url("accounts:address_edit", address.pk)).content.decode()
    assert 'value="пр. Абая, 10"' in html
    assert "make_default" not in html
    response = signed_in.post(url("accounts:address_edit", address.pk), address_post(street="пр. Абая, 12"))
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.street == "пр. Абая, 12"
    assert address.is_default


def test_acc3_address_cap_comes_from_the_setting(signed_in, customer, settings):
    settings.SHOP_MAX_ADDRESSES = 2
    make_address(customer)
    make_address(customer, street="Second 2")
    with translation.override("en"):
        note = translation.ngettext(
            "You have saved the maximum of %(limit)s address. Delete one to add another.",
            "You have saved the maximum of %(limit)s addresses. Delete one to add another.",
            2,
        ) % {"limit": 2}
    page = signed_in.get(url("accounts:addresses")).content.decode()
    assert f'href="{url("accounts:address_add")}"' not in page
    assert note in page
    add_page = signed_in.get(url("accounts:address_add"))
    assert add_page.status_code == 200
    assert note in add_page.content.decode()
    assert 'name="street"' not in add_page.content.decode()
    response = signed_in.post(url("accounts:address_add"), address_post(street="Third 3"))
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Address.objects.filter(user=customer).count() == 2


def test_acc3_address_cap_is_enforced_by_the_service(customer, settings):
    settings.SHOP_MAX_ADDRESSES = 1
    make_address(customer)
    with pytest.raises(services.ValidationError) as caught:
        make_address(customer, street="Second 2")
    assert caught.value.code == "address_limit"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12"),
        ("phone", ""),
        ("recipient", ""),
        ("city", ""),
        ("street", ""),
        ("recipient", "R" * 151),
        ("city", "C" * 101),
        ("street", "S" * 5000),
        ("apartment", "A" * 31),
        ("postal_code", "ABC"),
        ("postal_code", "12345678901"),
        ("comment", "c" * 251),
        ("label", "l" * 61),
        ("street", "bad\x00street"),
    ],
)
def test_acc3_bad_address_input_gets_a_clear_error_and_saves_nothing(signed_in, customer, field, value):
    response = signed_in.post(url("accounts:address_add"), address_post(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'id="id_{field}_error"' in html
    assert not Address.objects.filter(user=customer).exists()


# --- Security: customer A never reaches customer B's records ----------------------------------------------------


@pytest.fixture
def other_customer_address():
    other = make_customer(email="bolat@example.kz", full_name="Болат Ермекұлы")
    return make_address(other, street="Secret street 7", label="Bolat home")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["accounts:address_edit", "accounts:address_delete", "accounts:address_default"])
def test_acc3_customer_cannot_read_or_change_another_customers_address(
    signed_in, customer, other_customer_address, name, method
):
    make_address(customer)
    target = other_customer_address
    response = getattr(signed_in, method)(url(name, target.pk), address_post(street="Hijacked 1"))
    expected = 405 if (name == "accounts:address_default" and method == "get") else 404
    assert response.status_code == expected
    target.refresh_from_db()
    assert target.street == "Secret street 7"
    assert target.is_default
    assert Address.objects.get(user=customer).is_default
    assert "Secret street 7" not in response.content.decode()


def test_acc3_address_list_shows_only_own_addresses(signed_in, customer, other_customer_address):
    make_address(customer, street="My street 1")
    html = signed_in.get(url("accounts:addresses")).content.decode()
    assert "My street 1" in html
    assert "Secret street 7" not in html
    assert url("accounts:address_edit", other_customer_address.pk) not in html


def test_acc3_unknown_address_id_is_404(signed_in):
    assert signed_in.get(url("accounts:address_edit", 987654321)).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accounts:profile", {"full_name": "CSRF", "phone": "", "preferred_language": "en"}),
        ("accounts:address_add", address_post()),
        ("accounts:data", {}),
        ("accounts:delete", {"password": PASSWORD}),
    ],
)
def test_acc3_posts_without_csrf_token_are_refused(customer, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    response = client.post(url(name), data)
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.is_active and customer.full_name == "Айгерім Нұрланқызы"
    assert not Address.objects.filter(user=customer).exists()


def test_acc3_address_change_without_csrf_token_is_refused(customer):
    address = make_address(customer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    for name in ("accounts:address_edit", "accounts:address_delete", "accounts:address_default"):
        assert client.post(url(name, address.pk), address_post(street="Changed 9")).status_code == 403
    address.refresh_from_db()
    assert address.street == "пр. Абая, 10"


# --- My data: export ---------------------------------------------------------------------------------------------


def _ticket(user, **fields):
    data = {
        "number": f"T-{uuid.uuid4().hex[:8]}",
        "user": user,
        "name": user.full_name,
        "email": user.email,
        "phone": "+77011234567",
        "topic": SupportTicket.Topic.DELIVERY,
        "message": "Where is my parcel?",
        "ip_address": "192.0.2.10",
    }
    data.update(fields)
    return SupportTicket.objects.create(**data)


def _acceptance(user):
    return TermsAcceptance.objects.create(
        user=user,
        email=user.email,
        terms_version="2025-01",
        context=TermsAcceptance.Context.SIGNUP,
        age_confirmed=True,
        ip_address="192.0.2.20",
        user_agent="Mozilla/5.0 Test",
    )


def test_acc3_data_page_offers_the_download_as_a_post(signed_in):
    response = signed_in.get(url("accounts:data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<form method="post" action="{url("accounts:data")}">' in html
    assert f'href="{url("accounts:delete")}"' in html


def test_acc3_export_is_a_dated_json_download_of_the_customers_data(signed_in, customer):
    customer.phone = "+77011234567"
    customer.save()
    make_address(customer, label="Дом")
    _acceptance(customer)
    _ticket(customer)

    response = signed_in.post(url("accounts:data"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="my-data-{today}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert set(data) == {
        "format_version",
        "exported_at",
        "profile",
        "email_addresses",
        "addresses",
        "terms_acceptances",
        "support_tickets",
        "orders",
        "bonuses",  # issue 14: loyalty's part (None: this customer never joined)
    }
    assert data["profile"]["email"] == customer.email
    assert data["profile"]["full_name"] == "Айгерім Нұрланқызы"
    assert data["profile"]["phone"] == "+77011234567"
    assert data["email_addresses"] == [{"email": customer.email, "verified": True, "primary": True}]
    assert [a["label"] for a in data["addresses"]] == ["Дом"]
    assert data["addresses"][0]["is_default"] is True
    assert data["terms_acceptances"][0]["terms_version"] == "2025-01"
    assert data["terms_acceptances"][0]["ip_address"] == "192.0.2.20"
    assert data["support_tickets"][0]["message"] == "Where is my parcel?"
    assert "Айгерім" in response.content.decode()  # readable UTF-8, not \u escapes


def test_acc3_export_contains_only_the_requesters_data(signed_in, customer, other_customer_address):
    other = other_customer_address.user
    _acceptance(other)
    _ticket(other, message="Bolat's private question")
    _ticket(customer, message="My question")

    body = signed_in.post(url("accounts:data")).content.decode()

    data = json.loads(body)
    assert data["addresses"] == []
    assert data["terms_acceptances"] == []
    assert [s["message"] for s in data["support_tickets"]] == ["My question"]
    for secret in (other.email, "Secret street 7", "Bolat", "Болат"):
        assert secret not in body


# --- Account deletion (anonymisation) ----------------------------------------------------------------------------


def test_acc3_deletion_page_explains_and_asks_for_the_password(signed_in):
    response = signed_in.get(url("accounts:delete"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html


def test_acc3_deletion_with_a_wrong_password_changes_nothing(signed_in, customer):
    response = signed_in.post(url("accounts:delete"), {"password": "wrong-password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert t("The password is not correct.") in html
    customer.refresh_from_db()
    assert customer.is_active and customer.anonymised_at is None
    assert signed_in.get(url("accounts:overview")).status_code == 200


def test_acc3_deletion_anonymises_personal_data_and_keeps_the_user_row(signed_in, customer):
    customer.phone = "+77011234567"
    customer.first_name, customer.last_name = "Айгерім", "Нұрланқызы"
    customer.marketing_opt_in = True
    customer.save()
    make_address(customer)
    make_address(customer, street="Second 2")
    acceptance = _acceptance(customer)
    ticket = _ticket(customer)
    other = make_customer(email="bolat@example.kz", full_name="Болат")
    others_ticket = _ticket(other)
    others_acceptance = _acceptance(other)
    second_session = Client()
    second_session.force_login(customer)
    assert second_session.get(url("accounts:overview")).status_code == 200

    response = signed_in.post(url("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == url("shop:home")
    user = User.objects.get(pk=customer.pk)  # the row stays for the accounting records
    assert user.email == f"deleted-{user.pk}@invalid.example"
    assert (user.full_name, user.first_name, user.last_name, user.phone) == ("", "", "", "")
    assert user.marketing_opt_in is False
    assert user.marketing_opt_in_changed_at is not None
    assert user.is_active is False
    assert not user.has_usable_password()
    assert user.deletion_requested_at is not None
    assert user.anonymised_at is not None
    assert not Address.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(email__iexact="aigerim@example.kz").exists()

    acceptance.refresh_from_db()
    assert acceptance.user_id == user.pk
    assert acceptance.terms_version == "2025-01"
    assert acceptance.accepted_at is not None and acceptance.age_confirmed
    assert acceptance.email == user.email
    assert acceptance.ip_address is None and acceptance.user_agent == ""

    ticket.refresh_from_db()
    assert ticket.message == "Where is my parcel?"  # kept for the accounts
    assert ticket.email == user.email
    assert ticket.phone == "" and ticket.ip_address is None
    assert "Айгерім" not in ticket.name

    others_ticket.refresh_from_db()
    others_acceptance.refresh_from_db()
    assert others_ticket.email == "bolat@example.kz" and others_ticket.phone == "+77011234567"
    assert others_acceptance.ip_address == "192.0.2.20"

    # this session and every other session of the account are over
    assert signed_in.get(url("accounts:overview")).status_code == 302
    assert second_session.get(url("accounts:overview")).status_code == 302
    # the success message is shown after the logout
    home = signed_in.get(response["Location"])
    assert t("Your account has been deleted and your personal data removed.") in home.content.decode()


def test_acc3_deleted_customer_can_no_longer_sign_in(signed_in, customer):
    login = url("account_login")
    fresh = Client()
    assert fresh.post(login, {"login": customer.email, "password": PASSWORD}).status_code == 302
    assert fresh.get(url("accounts:overview")).status_code == 200

    signed_in.post(url("accounts:delete"), {"password": PASSWORD})

    again = Client()
    response = again.post(login, {"login": "aigerim@example.kz", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert again.get(url("accounts:overview")).status_code == 302
    placeholder = User.objects.get(pk=customer.pk).email
    again.post(login, {"login": placeholder, "password": PASSWORD})
    assert again.get(url("accounts:overview")).status_code == 302
    assert Client().login(email=placeholder, password=PASSWORD) is False


def test_acc3_the_email_is_free_again_after_deletion(signed_in, customer):
    signed_in.post(url("accounts:delete"), {"password": PASSWORD})
    newcomer = make_customer(email="aigerim@example.kz")
    assert newcomer.pk != customer.pk


def test_acc3_deletion_is_idempotent(customer):
    first = services.request_deletion(user=customer)
    stamped = first.anonymised_at
    again = services.request_deletion(user=customer)
    assert again.anonymised_at == stamped


def test_acc3_staff_accounts_are_not_deleted_from_the_cabinet(client):
    staff = make_customer(email="staff@example.kz", is_staff=True)
    client.force_login(staff)
    page = client.get(url("accounts:delete")).content.decode()
    assert 'type="password"' not in page
    client.post(url("accounts:delete"), {"password": PASSWORD})
    staff.refresh_from_db()
    assert staff.is_active and staff.anonymised_at is None
    with pytest.raises(services.DeletionNotAllowed):
        services.request_deletion(user=staff)


def test_acc4_deletion_password_attempts_are_throttled(signed_in, customer):
    statuses = [signed_in.post(url("accounts:delete"), {"password": "wrong"}).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    response = signed_in.post(url("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 429
    assert 'role="alert"' in response.content.decode()
    customer.refresh_from_db()
    assert customer.is_active


# --- Admin ------------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client):
    admin = User.objects.create_superuser(email="admin@example.kz", password=PASSWORD)
    client.force_login(admin)
    return client


def test_acc3_admin_user_page_shows_profile_fields_and_addresses(admin_client_, customer):
    make_address(customer, street="Admin visible 1")
    response = admin_client_.get(reverse("admin:accounts_user_change", args=[customer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("full_name", "phone", "marketing_opt_in", "preferred_language"):
        assert f'name="{field}"' in html
    assert "Admin visible 1" in html
    found = admin_client_.get(reverse("admin:accounts_user_changelist"), {"q": "Нұрланқызы"})
    assert customer.email in found.content.decode()


def test_acc1_terms_acceptances_are_read_only_in_the_admin(admin_client_, customer):
    acceptance = _acceptance(customer)
    listing = admin_client_.get(reverse("admin:accounts_termsacceptance_changelist"), {"q": customer.email})
    assert listing.status_code == 200
    assert customer.email in listing.content.decode()
    filtered = admin_client_.get(
        reverse("admin:accounts_termsacceptance_changelist"), {"context": "signup", "terms_version": "2025-01"}
    )
    assert filtered.status_code == 200
    assert admin_client_.get(reverse("admin:accounts_termsacceptance_add")).status_code == 403
    change = reverse("admin:accounts_termsacceptance_change", args=[acceptance.pk])
    assert admin_client_.get(change).status_code == 200
    admin_client_.post(change, {"email": "forged@example.kz", "terms_version": "forged"})
    acceptance.refresh_from_db()
    assert acceptance.terms_version == "2025-01"
    delete = reverse("admin:accounts_termsacceptance_delete", args=[acceptance.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert TermsAcceptance.objects.filter(pk=acceptance.pk).exists()


@pytest.mark.parametrize("name", ["accounts:profile", "accounts:address_add", "accounts:delete"])
def test_acc3_an_empty_post_is_answered_with_errors_not_silence(signed_in, customer, name):
    response = signed_in.post(url(name), {})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    customer.refresh_from_db()
    assert customer.is_active
