"""Registration, sign-in, password reset, logout and throttling through django-allauth (ACC-1, ACC-4)."""

import json
import re

import html5lib
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import TermsAcceptance, User
from base import mail as base_mail

pytestmark = pytest.mark.django_db

PASSWORD = "Kökşetau-2024!"
LONG_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) " + "x" * 600


@pytest.fixture
def queued(monkeypatch):
    """Every call of the Celery task made by base.mail.queue_email, recorded and then run (eagerly in tests)."""
    calls = []
    task = base_mail.send_templated_email

    class Spy:
        @staticmethod
        def apply_async(*, kwargs, **options):
            json.dumps(kwargs)  # it travels through the broker: must be JSON
            assert "context" not in options.get("kwargsrepr", "")  # personal data stay out of task logs
            calls.append(kwargs)
            return task.apply_async(kwargs=kwargs, **options)

    monkeypatch.setattr(base_mail, "send_templated_email", Spy)
    return calls


def t(message, language):
    with translation.override(language):
        return translation.gettext(message)


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def signup_data(**overrides):
    data = {
        "email": "aigul@example.kz",
        "full_name": "Айгүл Серікқызы",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "age_confirmed": "on",
        "accept_terms": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def sign_up(client, capture, language="en", **overrides):
    with capture(execute=True):
        return client.post(
            url("account_signup", language),
            signup_data(**overrides),
            REMOTE_ADDR="203.0.113.7",
            HTTP_USER_AGENT=LONG_USER_AGENT,
        )


def log_in(client, email, password=PASSWORD, language="en"):
    return client.post(url("account_login", language), {"login": email, "password": password})


def link_in(message, path_part):
    found = re.search(rf"https?://\S*{path_part}\S*", message.body)
    assert found, message.body
    return found.group(0)


def errors(response, field=None):
    form = response.context["form"]
    return form.errors.get(field, []) if field else form.non_field_errors()


def assert_valid_html5(response):
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")
    assert response.content.decode().startswith("<!DOCTYPE html>")


def confirm(client, message, capture):
    link = link_in(message, "/accounts/confirm-email/")
    page = client.get(link)
    assert page.status_code == 200
    with capture(execute=True):
        return client.post(link)


# --- ACC-1: registration ----------------------------------------------------------------------------------------


def test_acc1_signup_creates_an_unconfirmed_user_and_stores_the_terms_evidence(
    client, django_capture_on_commit_callbacks
):
    from shop.models import Page

    Page.objects.create(slug="terms", title_ru="Условия", body_ru="…", version="2025-03")

    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == url("account_email_verification_sent")
    user = User.objects.get(email="aigul@example.kz")
    assert user.full_name == "Айгүл Серікқызы"
    assert user.preferred_language == "en"
    assert not EmailAddress.objects.get(user=user).verified  # mandatory verification: cannot sign in yet
    assert "_auth_user_id" not in client.session
    evidence = TermsAcceptance.objects.get(user=user)
    assert evidence.context == TermsAcceptance.Context.SIGNUP
    assert evidence.terms_version == "2025-03"
    assert evidence.email == "aigul@example.kz"
    assert evidence.age_confirmed is True
    assert evidence.ip_address == "203.0.113.7"
    assert evidence.user_agent == LONG_USER_AGENT[:400]
    assert evidence.accepted_at is not None


def test_acc1_signup_language_is_stored_and_used_for_the_mail(client, django_capture_on_commit_callbacks, queued):
    sign_up(client, django_capture_on_commit_callbacks, language="kk")

    assert User.objects.get(email="aigul@example.kz").preferred_language == "kk"
    assert [c["language"] for c in queued] == ["kk"]
    assert "/kk/accounts/confirm-email/" in queued[0]["context"]["activate_url"]


def test_acc1_confirmation_mail_goes_through_the_celery_task(client, django_capture_on_commit_callbacks, queued):
    sign_up(client, django_capture_on_commit_callbacks)

    assert len(queued) == 1
    call = queued[0]
    assert call["template"] == "mail/account/email_confirmation_signup"
    assert call["to"] == ["aigul@example.kz"]
    assert call["language"] == "en"
    assert call["context"]["activate_url"].startswith("http://testserver/en/accounts/confirm-email/")
    assert call["context"]["shop_name"] == settings.SHOP_NAME
    assert call["context"]["full_name"] == "Айгүл Серікқызы"
    [message] = mail.outbox
    assert message.to == ["aigul@example.kz"]
    assert settings.SHOP_NAME in message.subject
    assert call["context"]["activate_url"] in message.body
    assert "Айгүл Серікқызы" in message.body
    html = message.alternatives[0][0]
    assert f'href="{call["context"]["activate_url"]}"' in html


def test_acc1_no_mail_leaves_before_the_transaction_commits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("account_signup"), signup_data())
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_acc1_login_is_refused_until_the_link_is_followed_then_works(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    [message] = mail.outbox

    refused = log_in(client, "aigul@example.kz")
    assert refused.status_code == 302
    assert refused["Location"] == url("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirmed = confirm(client, message, django_capture_on_commit_callbacks)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="aigul@example.kz").verified

    other = Client()
    response = log_in(other, "AIGUL@example.kz")
    assert response.status_code == 302
    assert response["Location"] == "/en/"  # the language of the page the customer signed in on
    assert other.get(url("accounts:overview")).status_code == 200


def test_acc1_confirmation_page_with_a_bad_key_explains_what_to_do(client):
    response = client.get(url("account_confirm_email", key="not-a-real-key"))
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert url("account_login").encode() in response.content
    assert_valid_html5(response)


def test_acc1_one_account_per_email_regardless_of_case(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, email="A@x.kz")
    response = sign_up(Client(), django_capture_on_commit_callbacks, email="a@X.kz")

    assert response.status_code == 200
    assert errors(response, "email") == [t("An account with this e-mail address already exists. Sign in or reset "
                                           "your password.", "en")]
    assert b'role="alert"' in response.content
    assert User.objects.filter(email__iexact="a@x.kz").count() == 1


def test_acc1_an_address_stored_with_capitals_is_still_taken(client, django_capture_on_commit_callbacks):
    User.objects.bulk_create([User(email="Mixed@Example.kz", full_name="Staff typo")])  # as an admin might store it

    response = sign_up(client, django_capture_on_commit_callbacks, email="mixed@example.kz")

    assert response.status_code == 200
    assert errors(response, "email")
    assert User.objects.filter(email__iexact="mixed@example.kz").count() == 1


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("age_confirmed", {"age_confirmed": None}),
        ("accept_terms", {"accept_terms": None}),
        ("full_name", {"full_name": "Ә" * 151}),
        ("full_name", {"full_name": "   "}),
        ("email", {"email": "not-an-email"}),
        ("email", {"email": "a" * 250 + "@example.kz"}),
        ("password2", {"password2": "Something-else-2024"}),
    ],
)
def test_acc1_bad_signup_input_gets_a_clear_message_not_an_account(
    client, django_capture_on_commit_callbacks, field, overrides
):
    response = sign_up(client, django_capture_on_commit_callbacks, **overrides)

    assert response.status_code == 200
    assert errors(response, field), response.context["form"].errors
    assert b'role="alert"' in response.content
    assert b'aria-invalid="true"' in response.content
    assert not User.objects.exists()
    assert not TermsAcceptance.objects.exists()
    assert mail.outbox == []
    assert_valid_html5(response)


def test_acc1_age_and_terms_messages_say_why(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, language="ru", age_confirmed=None, accept_terms=None)

    assert errors(response, "age_confirmed") == [
        t("Please confirm that you are 16 or older: younger people cannot register.", "ru")
    ]
    assert errors(response, "accept_terms") == [t("Please accept the terms of sale to register.", "ru")]


@pytest.mark.parametrize("name", ["account_signup", "account_login", "account_reset_password"])
def test_acc1_posts_without_a_csrf_token_are_refused(name):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url(name), {**signup_data(), "login": "aigul@example.kz", "password": PASSWORD})
    assert response.status_code == 403
    assert not User.objects.exists()


def test_acc1_signup_form_links_the_terms_page_and_labels_every_field(client):
    response = client.get(url("account_signup"))
    html = response.content.decode()

    assert url("shop:page", slug="terms") in html
    for name in ("email", "full_name", "password1", "password2", "age_confirmed", "accept_terms"):
        assert f'for="id_{name}"' in html
        assert f'id="id_{name}"' in html
    assert 'name="age_confirmed"' in html and 'name="accept_terms"' in html


# --- ACC-4: password reset, logout, throttling ------------------------------------------------------------------


@pytest.fixture
def customer(db):
    user = User.objects.create_user("timur@example.kz", PASSWORD, full_name="Тимур Ахметов")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_acc4_password_reset_mail_goes_through_the_task_and_the_link_sets_a_new_password(
    client, customer, django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("account_reset_password", "kk"), {"email": "Timur@Example.kz"})
    assert response.status_code == 302
    assert response["Location"] == url("account_reset_password_done", "kk")
    [call] = queued
    assert call["template"] == "mail/account/password_reset_key"
    assert call["language"] == "kk"
    [message] = mail.outbox
    assert message.to == ["timur@example.kz"]
    link = link_in(message, "/kk/accounts/password/reset/key/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert not form_page.context.get("token_fail")
    new_password = "Жаңа-құпия-2025"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
        )
    assert done.status_code == 302
    assert done["Location"] == url("account_reset_password_from_key_done", "kk")
    # ACC-4: the customer is told by mail that the password was reset, through the task too
    assert [c["template"] for c in queued] == ["mail/account/password_reset_key", "mail/account/password_reset"]
    assert "Тимур Ахметов" in mail.outbox[-1].body

    assert log_in(Client(), "timur@example.kz", PASSWORD).status_code == 200  # the old one no longer works
    assert log_in(Client(), "timur@example.kz", new_password).status_code == 302
    assert client.get(link, follow=True).context["token_fail"]  # and the link works once


def test_acc4_password_reset_for_an_unknown_address_says_so(client):
    response = client.post(url("account_reset_password"), {"email": "nobody@example.kz"})
    assert response.status_code == 200
    assert errors(response, "email") == [t("No account uses this e-mail address.", "en")]
    assert mail.outbox == []


def test_acc4_logout_needs_a_post_and_leads_home(client, customer):
    client.force_login(customer)

    page = client.get(url("account_logout", "kk"))
    assert page.status_code == 200
    assert "_auth_user_id" in client.session  # a GET only asks
    assert_valid_html5(page)

    response = client.post(url("account_logout", "kk"))
    assert response.status_code == 302
    assert response["Location"] == url("shop:home", "kk")
    assert "_auth_user_id" not in client.session


def test_acc4_logout_without_a_csrf_token_is_refused(customer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer)
    assert strict.post(url("account_logout")).status_code == 403
    assert "_auth_user_id" in strict.session


def test_acc4_failed_logins_are_throttled_with_a_clear_message(client, customer):
    for _ in range(5):
        response = log_in(client, "timur@example.kz", "wrong-password")
        assert errors(response) == [t("The e-mail address and/or password you entered are not correct.", "en")]

    blocked = log_in(client, "timur@example.kz", PASSWORD, language="ru")  # even the right password now

    assert blocked.status_code == 200
    assert errors(blocked) == [
        t("Too many failed sign-in attempts. Please wait a few minutes and try again, or reset your password.", "ru")
    ]
    assert b'role="alert"' in blocked.content
    assert "_auth_user_id" not in client.session
    assert_valid_html5(blocked)
    # the limit is per address: another customer on the same network is not locked out
    other = User.objects.create_user("dana@example.kz", PASSWORD)
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    assert log_in(Client(), "dana@example.kz").status_code == 302


def test_acc4_throttling_is_on_and_counted_in_the_shared_cache():
    from allauth.account import app_settings

    assert app_settings.RATE_LIMITS["login_failed"] == settings.ACCOUNT_RATE_LIMITS["login_failed"]
    if settings.REDIS_AVAILABLE:
        assert settings.CACHES["default"]["BACKEND"] == "config.cache.PooledRedisCache"


def test_acc4_too_many_login_requests_from_one_address_are_refused(client, monkeypatch):
    import config.urls

    # allauth answers with `handler429` of the root URLconf (config.urls names accounts.adapter.too_many_requests)
    monkeypatch.setattr(config.urls, "handler429", "accounts.adapter.too_many_requests", raising=False)
    limit = int(settings.ACCOUNT_RATE_LIMITS["login"].split("/")[0])
    for _ in range(limit):
        assert client.post(url("account_login"), {"login": "x@example.kz", "password": ""}).status_code == 200

    response = client.post(url("account_login", "kk"), {"login": "x@example.kz", "password": ""})

    assert response.status_code == 429
    html = response.content.decode()
    assert t("You have sent too many requests in a short time. Please wait a few minutes and try again.", "kk") in html
    assert 'role="search"' in html and 'role="alert"' in html
    assert_valid_html5(response)


# --- the pages: our layout, every language, valid HTML ---------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_email_verification_sent", "account_reset_password",
     "account_reset_password_done", "account_reset_password_from_key_done"],
)
def test_account_pages_use_the_shop_layout_and_are_valid_html5(client, language, name):
    response = client.get(url(name, language))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'role="search"' in html  # the shop header
    assert 'class="site-footer"' in html
    assert "<h1" in html
    assert_valid_html5(response)


def test_login_page_links_to_registration_and_password_reset(client):
    response = client.get(url("account_login", "ru"))
    html = response.content.decode()
    assert f'href="{url("account_signup", "ru")}"' in html
    assert f'href="{url("account_reset_password", "ru")}"' in html
    assert t("Registration", "ru") in html
    assert 'for="id_login"' in html and 'for="id_password"' in html


def test_the_cabinet_sends_anonymous_visitors_to_the_login_page_in_their_language(client):
    response = client.get(url("accounts:overview", "kk"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login", "kk") + "?next=")


def test_bad_password_reset_link_renders_in_our_layout(client):
    response = client.get(url("account_reset_password_from_key", uidb36="zz", key="bad-key"), follow=True)
    assert response.status_code == 200
    assert response.context["token_fail"]
    assert 'role="search"' in response.content.decode()
    assert_valid_html5(response)


def test_every_allauth_mail_we_can_send_has_our_template():
    names = ["email_confirmation_signup", "email_confirmation", "password_reset_key", "account_already_exists",
             "unknown_account", "password_reset", "password_changed", "password_set", "email_changed",
             "email_confirm", "email_deleted"]
    for name in names:
        get_template(f"mail/account/{name}_subject.txt")
        get_template(f"mail/account/{name}.txt")


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "account_logout", "account_reauthenticate"]
)
def test_allauth_pages_for_signed_in_customers_use_the_shop_layout(client, customer, name):
    client.force_login(customer)
    response = client.get(url(name, "kk"))

    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert_valid_html5(response)


def test_acc1_changing_the_email_keeps_one_address_and_needs_the_new_one_confirmed(
    client, customer, django_capture_on_commit_callbacks, queued
):
    client.force_login(customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("account_email"), {"email": "Timur.New@Example.kz", "action_add": ""})
    assert response.status_code == 302
    assert [c["template"] for c in queued] == ["mail/account/email_confirmation"]
    customer.refresh_from_db()
    assert customer.email == "timur@example.kz"  # unchanged until confirmed

    page = client.get(url("account_email"))
    assert "timur.new@example.kz" in page.content.decode()
    assert_valid_html5(page)

    confirm(client, mail.outbox[0], django_capture_on_commit_callbacks)

    customer.refresh_from_db()
    assert customer.email == "timur.new@example.kz"
    assert list(EmailAddress.objects.filter(user=customer).values_list("email", flat=True)) == ["timur.new@example.kz"]
    assert "mail/account/email_changed" in [c["template"] for c in queued]  # the security notice


def test_acc1_changing_to_an_address_of_another_account_is_refused(client, customer):
    User.objects.create_user("taken@example.kz", PASSWORD)
    client.force_login(customer)

    response = client.post(url("account_email"), {"email": "TAKEN@example.kz", "action_add": ""})

    assert response.status_code == 200
    assert errors(response, "email")
    assert b'role="alert"' in response.content
