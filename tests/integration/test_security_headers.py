"""Issue 16, item 10: headers and limits — a Content-Security-Policy without inline code, Permissions-Policy,
Cross-Origin-Resource-Policy, an explicit Cache-Control on every HTML page (never stored by a shared cache), no
version banner, and request bodies capped (413) by what the URL accepts."""

import re

import gunicorn
import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def shop_pages():
    category = f.category(slug="kettles")
    f.product(category_=category, slug="kettle", image=True)
    return ["/", "/kk/", "/en/catalog/", "/catalog/kettles/", "/product/kettle/", "/search/?q=kettle", "/cart/",
            "/contact/", "/accounts/login/", "/accounts/signup/", "/orders/find/", "/no-such-page/",
            "/admin/login/"]


def csp_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_no_inline_code(html: str, nonce: str | None, path: str):
    """Every script is a file, JSON data, or carries the response's nonce; no <style>, style= or on*= anywhere."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    for script in tree.iter("script"):
        if script.get("src") or script.get("type") == "application/json":
            continue
        assert nonce and script.get("nonce") == nonce, (path, script.attrib)
    assert not list(tree.iter("style")), path
    for element in tree.iter():
        attributes = [name for name in element.attrib if name == "style" or name.startswith("on")]
        assert not attributes, (path, element.tag, attributes)


def test_csp_allows_only_own_files_on_every_page_and_the_pages_have_no_inline_code(client, shop_pages):
    for path in shop_pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        policy = csp_of(response)
        assert policy["default-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert "'unsafe-inline'" not in policy["style-src"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert_no_inline_code(response.content.decode(), None, path)


def test_the_analytics_block_runs_only_with_the_responses_nonce(client, settings, shop_pages):
    """LEG-2: after consent the analytics block (and the operator's inline snippet) run under the policy."""
    settings.SHOP_ANALYTICS_SNIPPET = "<script>window.demo = 1;</script>"
    client.cookies[settings.SHOP_CONSENT_COOKIE] = "analytics"
    nonces = set()
    for path in ("/", "/product/kettle/", "/cart/", "/cookie-settings/"):  # cached and per-request pages
        response = client.get(path)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
        html = response.content.decode()
        assert html.count(f'<script nonce="{nonce}"') == 2, path  # our marker and the operator's snippet
        assert_no_inline_code(html, nonce, path)
        nonces.add(nonce)
    assert len(nonces) == 4  # a new nonce for every response


def test_the_sandbox_card_form_may_be_framed_by_our_own_payment_page_only(client):
    response = client.get("/payments/sandbox/cloudpayments/form/")
    assert csp_of(response)["frame-ancestors"] == ["'self'"]


def test_permissions_policy_and_corp_on_pages_and_files(client, shop_pages):
    for path in [*shop_pages, "/static/css/shop.css", "/favicon.ico", "/healthz"]:
        response = client.get(path)
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "usb=()"):
            assert feature in policy, (path, policy)
        assert policy.count("payment=(self") == 1
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", path


def test_no_server_version_banner():
    """Django adds no Server header; gunicorn (the image's server) names itself without its version."""
    response = Client().get("/")
    assert "Server" not in response
    assert not re.search(r"\d", gunicorn.SERVER)


# --- Cache-Control -----------------------------------------------------------------------------------------------


def test_every_html_page_says_it_is_private(client, shop_pages):
    for path in shop_pages:
        response = client.get(path)
        assert response["Content-Type"].startswith("text/html")
        control = response["Cache-Control"]
        assert "private" in control or "no-store" in control, (path, control)
        assert "public" not in control and "s-maxage" not in control, (path, control)


def test_a_visitor_without_a_session_may_keep_a_page_but_must_ask_again(client, shop_pages):
    assert Client().get("/product/kettle/")["Cache-Control"] == "private, no-cache"


def test_pages_of_a_signed_in_customer_or_a_cart_are_never_stored(client, shop_pages):
    user = get_user_model().objects.create_user(email="aigerim@example.kz", password="x")
    client.force_login(user)
    for path in ("/", "/product/kettle/", "/catalog/kettles/", "/contact/"):
        assert client.get(path)["Cache-Control"] == "private, no-store", path
    assert "no-store" in client.get(reverse("accounts:overview"))["Cache-Control"]  # the cabinet's own never_cache


def test_files_keep_their_own_caching(client):
    response = client.get("/static/css/shop.css")
    assert "private" not in response.get("Cache-Control", "")


# --- body caps ------------------------------------------------------------------------------------------------------


def test_a_20_mb_post_to_the_contact_form_is_refused_with_413_before_it_is_read(client):
    photo = SimpleUploadedFile("big.jpg", b"\xff" * (20 * MB), content_type="image/jpeg")
    response = client.post("/contact/", {"email": "a@example.kz", "message": "Hello", "photo": photo})
    assert response.status_code == 413
    html = response.content.decode()
    assert "error-title" in html and 'lang="ru"' in html
    response = Client().post("/en/contact/", {"email": "a@example.kz", "message": "x" * (3 * MB)})
    assert response.status_code == 413 and 'lang="en"' in response.content.decode()


def test_a_small_post_passes_the_cap(client):
    assert client.post("/contact/", {"email": "a@example.kz", "message": "Hello"}).status_code != 413


def test_a_view_that_takes_photos_accepts_five_10_mb_photos_but_not_more_than_its_cap(client, settings):
    """Return requests and warranty claims take up to 5 × 10 MB photos: such views are marked @accepts_uploads."""
    # through the settings fixture only: an override_settings decorator mixed with it would leak this URL map
    # into the tests that run after this one (the fixture restores the settings it saw, the decorator's included)
    settings.ROOT_URLCONF = "tests.error_urls"
    photos = [SimpleUploadedFile(f"p{i}.jpg", b"\xff" * (10 * MB), content_type="image/jpeg") for i in range(5)]
    response = client.post("/upload/", {"photo": photos})
    assert response.status_code == 200 and response.content == b"5 files"
    settings.SHOP_UPLOAD_MAX_REQUEST_BYTES = 30 * MB
    photos = [SimpleUploadedFile(f"p{i}.jpg", b"\xff" * (10 * MB), content_type="image/jpeg") for i in range(4)]
    assert client.post("/upload/", {"photo": photos}).status_code == 413


def test_the_admin_takes_large_uploads_from_staff_only(client):
    body = {"username": "x", "password": "y", "blob": "z" * (3 * MB)}
    assert Client().post("/admin/login/", body).status_code == 413
    staff = get_user_model().objects.create_user(email="staff@example.kz", password="x", is_staff=True)
    client.force_login(staff)
    assert client.post("/admin/login/", body).status_code != 413


def test_return_requests_and_warranty_claims_take_photos_up_to_the_upload_cap(settings):
    """RET/WAR: a return request (5 × 10 MB photos) and a warranty claim (5 attachments) accept the upload cap;
    the cap holds them all, with room for the form's fields."""
    from django.urls import resolve

    from base.request_limits import UPLOADS_ATTR

    for name in ("returns:order", "warranty:new"):
        view = resolve(reverse(name, kwargs={"token": "t" * 43})).func
        assert getattr(view, UPLOADS_ATTR, False), name
    photos = settings.SHOP_RETURN_PHOTO_MAX_COUNT * settings.SHOP_RETURN_PHOTO_MAX_BYTES
    attachments = settings.SHOP_WARRANTY_MAX_ATTACHMENTS * settings.SHOP_WARRANTY_MAX_ATTACHMENT_BYTES
    assert settings.SHOP_UPLOAD_MAX_REQUEST_BYTES > max(photos, attachments) >= 50 * MB
    assert settings.SHOP_MAX_REQUEST_BYTES < 20 * MB


def test_admin_pages_have_no_inline_code_either(client):
    """The orders, returns and refund report admin pages keep their styles in static files (the CSP allows none)."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(email="root@example.kz", password="x")
    client.force_login(admin)
    order = f.placed_order(f.delivery_setup())
    for path in (
        "/admin/",
        reverse("admin:orders_order_change", args=[order.pk]),
        reverse("admin:orders_coupon_changelist"),
        reverse("admin:returns_refundreportexport_changelist"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_code(response.content.decode(), None, path)
