"""Issue 16, item 4: the shop's own error pages (400, 403, 404, 500, a refused CSRF check) in the visitor's
language — the language of the URL (/kk/..., /en/...) — with the shop's layout, a search box and a link home."""

import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests import factories as f

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "kk", "en"]
PREFIX = {"ru": "", "kk": "/kk", "en": "/en"}


def t(message, language):
    with translation.override(language):
        return translation.gettext(message)


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def assert_shop_error_page(response, status, heading, language, *, full_layout=True):
    """The page is ours, in `language`: its heading, a search box and a link to the home page in that language."""
    assert response.status_code == status
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in html
    assert t(heading, language) in html
    assert f'<h1 id="error-title">{t(heading, language)}</h1>' in html
    assert f'action="{url("shop:search", language)}"' in html and 'role="search"' in html
    assert f'href="{url("shop:home", language)}"' in html
    assert "site-header" in html and "site-footer" in html
    assert ("category-nav" in html) is full_layout  # the bare layout (400, 500) shows no database-driven parts
    assert response["Cache-Control"] == "no-store"
    assert 'rel="canonical"' not in html  # an error page has no address of its own
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")
    return html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_address_gets_the_shops_404_in_the_urls_language(client, language):
    response = client.get(f"{PREFIX[language]}/no-such-page/")
    html = assert_shop_error_page(response, 404, "Page not found", language)
    assert t("Search products", language) in html  # the header too is in the URL's language
    assert "Not Found" not in html  # not Django's bare page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_never_echoes_the_address_asked_for(client, language):
    """ORD-5: a guessed secret link answers 404 without repeating the guess; the language menu leads home."""
    response = client.get(f"{PREFIX[language]}/orders/o/GuessedToken123/")
    html = assert_shop_error_page(response, 404, "Page not found", language)
    assert "GuessedToken123" not in html
    assert 'href="/kk/" hreflang="kk"' in html and 'href="/en/" hreflang="en"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_product_or_category_gets_the_shops_404(client, language):
    f.category(slug="kettles")
    for path in (f"{PREFIX[language]}/product/no-such-product/", f"{PREFIX[language]}/catalog/no-such-category/"):
        assert_shop_error_page(client.get(path), 404, "Page not found", language)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_under_debug_make_run_shows_the_shops_404_not_the_technical_page(language):
    """`make run` serves with DEBUG on, where Django's yellow 404 page would show the URL patterns."""
    with override_settings(DEBUG=True):
        client = Client()
        for path in (f"{PREFIX[language]}/no-such-page/", f"{PREFIX[language]}/product/no-such-product/"):
            response = client.get(path)
            html = assert_shop_error_page(response, 404, "Page not found", language)
            assert "DEBUG = True" not in html and "URLconf" not in html
        # the slash is still appended to a known address before anything is called missing
        assert client.get(f"{PREFIX[language]}/cart").status_code == 301


def test_a_providers_own_404_answer_is_left_alone_under_debug():
    with override_settings(DEBUG=True):
        response = Client().post("/payments/notify/epay/nonsense/", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert "error-title" not in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_staff_member_without_the_permission_gets_the_shops_403(client, language):
    staff = get_user_model().objects.create_user(email=f"staff-{language}@example.kz", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(url("admin:orders_coupon_generate", language))
    assert_shop_error_page(response, 403, "Access denied", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_failing_the_csrf_check_gets_the_shops_403(language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url("support:contact", language), {"email": "a@example.kz", "message": "Hello"})
    html = assert_shop_error_page(response, 403, "The form has expired", language)
    assert "CSRF" not in html  # Django's reason is for the log, not the visitor


@pytest.mark.parametrize("language", ["ru", "en"])  # kk: tests/integration/test_registration.py
def test_too_many_sign_in_attempts_get_the_429_page_in_the_layout(client, language, settings, monkeypatch):
    """ACC-4's answer once allauth's rate limit is reached: the shop's layout, a search box and links home."""
    import config.urls

    # allauth imports `handler429` from the root URLconf by name (as in tests/integration/test_registration.py)
    monkeypatch.setattr(config.urls, "handler429", "accounts.adapter.too_many_requests", raising=False)
    limit = int(settings.ACCOUNT_RATE_LIMITS["login"].split("/")[0])
    for _ in range(limit):
        client.post(url("account_login", language), {"login": "x@example.kz", "password": ""})
    response = client.post(url("account_login", language), {"login": "x@example.kz", "password": ""})
    assert response.status_code == 429
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and t("Too many attempts", language) in html
    assert f'action="{url("shop:search", language)}"' in html and f'href="{url("shop:home", language)}"' in html
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_for_a_foreign_host_gets_the_bare_400(language):
    """A 400 means the request itself is bad (here its Host): the page reads nothing more from it."""
    response = Client().get(f"{PREFIX[language]}/", HTTP_HOST="evil.example")
    assert_shop_error_page(response, 400, "Bad request", language, full_layout=False)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_crash_gets_the_bare_500_without_touching_the_database(language):
    """tests/error_urls.py adds /boom/ (a view that raises) to the shop's URL map, under each language prefix."""
    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF="tests.error_urls"), CaptureQueriesContext(connection) as queries:
        response = client.get(f"{PREFIX[language]}/boom/")
    html = assert_shop_error_page(response, 500, "Something went wrong on our side", language, full_layout=False)
    assert "boom" not in html and "RuntimeError" not in html
    assert len(queries) == 0
