"""Cookie consent (LEG-2): the banner until a choice, the choice in a cookie, analytics only after "analytics".

Pages are cached whole for every visitor, so each check runs against a page already in the cache."""


import html5lib
import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from shop.models import Page
from tests import factories as f

pytestmark = pytest.mark.django_db

BANNER = 'id="cookie-consent"'
ANALYTICS = 'data-consent="analytics"'


def t(message, language="en"):
    with translation.override(language):
        return gettext(message)


@pytest.fixture
def product():
    return f.product(slug="kettle", name_ru="Чайник", name_en="Kettle")


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert "<!--personal:" not in html and "__consent_next_placeholder__" not in html
    assert "__csrf_token_placeholder__" not in html
    return html


SAME_ORIGIN = "http://testserver"


@pytest.fixture
def client():
    """Django's test client sends no Origin header; a browser posting from our own page does."""
    return Client(HTTP_ORIGIN=SAME_ORIGIN)


@pytest.mark.parametrize("path", ["/", "/en/product/kettle/", "/kk/catalog/", "/en/pages/cookies/"])
def test_leg2_cached_page_shows_the_banner_only_to_visitors_without_a_choice(client, product, settings, path):
    Page.objects.create(slug="cookies", title_ru="Cookie", body_ru="Про cookie", title_en="Cookies", body_en="About")
    get(Client(), path)  # another visitor fills the cache first
    html = get(client, path)
    assert BANNER in html and ANALYTICS not in html

    client.cookies[settings.SHOP_CONSENT_COOKIE] = "necessary"
    html = get(client, path)
    assert BANNER not in html and ANALYTICS not in html

    client.cookies[settings.SHOP_CONSENT_COOKIE] = "analytics"
    html = get(client, path)
    assert BANNER not in html and ANALYTICS in html

    client.cookies[settings.SHOP_CONSENT_COOKIE] = "whatever"  # not a choice: asked again, no analytics
    html = get(client, path)
    assert BANNER in html and ANALYTICS not in html


def test_leg2_pages_rendered_per_request_follow_the_choice_too(client, settings):
    for path in ("/en/cart/", "/en/accounts/login/"):
        client.cookies.pop(settings.SHOP_CONSENT_COOKIE, None)
        html = get(client, path)
        assert BANNER in html and ANALYTICS not in html, path
        client.cookies[settings.SHOP_CONSENT_COOKIE] = "analytics"
        html = get(client, path)
        assert BANNER not in html and ANALYTICS in html, path


def test_leg2_banner_is_in_the_visitor_language_and_links_the_cookies_page(client, product):
    for language, prefix in (("ru", ""), ("kk", "/kk"), ("en", "/en")):
        html = get(client, f"{prefix}/product/kettle/")
        banner = html[html.index('<section class="consent-banner"') : html.index("</section>")]
        assert t("Cookies on this site", language) in banner
        assert t("Necessary only", language) in banner and t("Accept analytics", language) in banner
        assert f'href="{prefix}/pages/cookies/"' in banner
        assert f'action="{prefix}/cookie-consent/"' in banner
        assert 'aria-labelledby="cookie-consent-title"' in banner and 'id="cookie-consent-title"' in banner
        assert f'name="next" value="{prefix}/product/kettle/"' in banner


def test_leg2_banner_keeps_the_query_string_escaped_in_next(client, product):
    html = get(client, '/en/search/?q=a"b&sort=name')
    assert 'name="next" value="/en/search/?q=a%22b&amp;sort=name"' in html


def test_leg2_choice_is_stored_in_a_lax_http_only_cookie_for_a_year_and_redirects_back(product, settings):
    browser = Client(enforce_csrf_checks=True, HTTP_ORIGIN=SAME_ORIGIN)  # a browser posting from our page
    get(browser, "/en/product/kettle/")
    response = browser.post("/en/cookie-consent/", {"choice": "analytics", "next": "/en/product/kettle/"})
    assert response.status_code == 302 and response["Location"] == "/en/product/kettle/"
    cookie = response.cookies[settings.SHOP_CONSENT_COOKIE]
    assert cookie.value == "analytics"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax" and cookie["httponly"] and not cookie["secure"]
    html = get(browser, "/en/product/kettle/")
    assert BANNER not in html and ANALYTICS in html
    assert t("Your cookie choice is saved. You can change it at any time in Cookie settings.") in html


def test_leg2_consent_cookie_is_secure_when_the_session_cookie_is(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post("/cookie-consent/", {"choice": "necessary", "next": "/"})
    assert response.cookies[settings.SHOP_CONSENT_COOKIE]["secure"]


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_REFERER": "https://evil.example/page"}, {}],
    ids=["other-origin", "other-referer", "no-origin-no-referer"],
)
def test_leg2_choice_posted_from_another_site_is_refused(product, headers):
    """Cross-site request forgery: checked by Origin/Referer (the banner carries no token, see shop.consent)."""
    browser = Client(enforce_csrf_checks=True, **headers)
    response = browser.post("/cookie-consent/", {"choice": "analytics", "next": "/"})
    assert response.status_code == 403
    assert not response.cookies


def test_leg2_banner_needs_no_csrf_token_so_cached_pages_mint_none(client, product):
    for path in ("/en/catalog/", "/en/product/kettle/"):  # the banner, and "Add to cart" (ORD-1): no token
        response = client.get(path)
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "csrftoken" not in response.cookies


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver@evil.example/",
        "",
        "/cookie-consent/",
        "/a\r\nSet-Cookie: x=1",
    ],
)
def test_leg2_redirect_goes_only_to_our_own_pages(client, next_url):
    response = client.post("/cookie-consent/", {"choice": "necessary", "next": next_url})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location.split("?")[0][:20]
    assert "\n" not in location and "\r" not in location
    if next_url in ("", "/cookie-consent/") or "evil" in next_url or next_url.startswith("javascript"):
        assert location == "/"


def test_leg2_referer_is_the_fallback_when_next_is_missing(client):
    response = client.post("/cookie-consent/", {"choice": "necessary"}, HTTP_REFERER="http://testserver/en/catalog/")
    assert response["Location"] == "http://testserver/en/catalog/"
    response = client.post("/cookie-consent/", {"choice": "necessary"}, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/"


@pytest.mark.parametrize("data", [{}, {"choice": "everything"}, {"choice": ""}, {"choice": "analytics" * 1000}])
def test_leg2_bad_choice_is_400_and_sets_nothing(client, settings, data):
    response = client.post("/cookie-consent/", {**data, "next": "/"})
    assert response.status_code == 400
    assert settings.SHOP_CONSENT_COOKIE not in response.cookies


def test_leg2_choice_url_is_post_only(client):
    assert client.get("/cookie-consent/?choice=analytics").status_code == 405


def test_leg2_javascript_gets_json_and_no_flash_message(client, settings):
    response = client.post(
        "/en/cookie-consent/", {"choice": "analytics", "next": "/en/"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json() == {"consent": "analytics"}
    assert response.cookies[settings.SHOP_CONSENT_COOKIE].value == "analytics"
    html = get(client, "/en/")
    assert t("Your cookie choice is saved. You can change it at any time in Cookie settings.") not in html


def test_leg2_choosing_necessary_removes_the_analytics_cookies(client, settings):
    settings.SHOP_ANALYTICS_COOKIES = ["_ga", "_ym_uid"]
    response = client.post("/cookie-consent/", {"choice": "necessary", "next": "/"})
    assert response.cookies["_ga"]["max-age"] == 0 and response.cookies["_ym_uid"]["max-age"] == 0
    response = client.post("/cookie-consent/", {"choice": "analytics", "next": "/"})
    assert "_ga" not in response.cookies


def test_leg2_analytics_snippet_renders_only_after_consent(client, product, settings):
    settings.SHOP_ANALYTICS_SNIPPET = '<script data-tracker="demo" src="/static/none.js" defer></script>'
    assert 'data-tracker="demo"' not in get(client, "/en/product/kettle/")
    client.cookies[settings.SHOP_CONSENT_COOKIE] = "necessary"
    assert 'data-tracker="demo"' not in get(client, "/en/product/kettle/")
    client.cookies[settings.SHOP_CONSENT_COOKIE] = "analytics"
    assert 'data-tracker="demo"' in get(client, "/en/product/kettle/")


def test_leg2_every_page_links_cookie_settings_where_the_choice_can_be_changed(client, product, settings):
    html = get(client, "/en/product/kettle/")
    assert 'href="/en/cookie-settings/"' in html and t("Cookie settings") in html
    page = get(client, "/en/cookie-settings/")
    assert BANNER not in page  # the page is the form
    assert t("You have not made a choice yet: only necessary cookies are used.") in page
    assert 'action="/en/cookie-consent/"' in page and 'name="next" value="/en/cookie-settings/"' in page

    response = client.post(
        "/en/cookie-consent/", {"choice": "analytics", "next": "/en/cookie-settings/"}
    )
    assert response["Location"] == "/en/cookie-settings/"
    page = get(client, "/en/cookie-settings/")
    assert t("Your current choice: necessary and analytics cookies.") in page and ANALYTICS in page
    client.post("/en/cookie-consent/", {"choice": "necessary", "next": "/en/cookie-settings/"})
    page = get(client, "/en/cookie-settings/")
    assert t("Your current choice: necessary cookies only.") in page and ANALYTICS not in page


@pytest.mark.parametrize("cookie", [None, "necessary", "analytics"])
@pytest.mark.parametrize("path", ["/", "/en/product/kettle/", "/en/cookie-settings/", "/en/cart/"])
def test_leg2_pages_with_and_without_the_banner_are_valid_html5(client, product, settings, cookie, path):
    settings.SHOP_ANALYTICS_SNIPPET = "<script>window.demo = 1;</script>"
    if cookie:
        client.cookies[settings.SHOP_CONSENT_COOKIE] = cookie
    response = client.get(path)
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")


def test_leg2_cached_page_with_the_banner_needs_no_query(client, product, django_assert_max_num_queries):
    get(client, "/en/product/kettle/")
    with django_assert_max_num_queries(0):
        assert BANNER in get(Client(), "/en/product/kettle/")
