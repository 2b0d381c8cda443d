"""Issue 16, item 1: every public URL and form, taken from the URL resolver (not a hand list), answers hostile
input with anything but a 5xx: NUL, invalid UTF-8, punctuation only, overlong text, wrong types, negative and
huge numbers — in the URL's parts, its query string and its form body, in ru/kk/en, as a guest and as a signed-in
customer. Runs on PostgreSQL, which refuses what SQLite would swallow (NUL in text, integers beyond bigint).

All failures are collected and reported together (URL, method, payload, what it raised)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from accounts import services as account_services
from accounts.models import User
from orders.models import Cart, CartLine
from shop.models import Page
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LANGUAGE_PREFIXES = ("", "kk/", "en/")  # ru has none (prefix_default_language=False)
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_PREFIXES = ("payments/sandbox/", "media/", "static/")

# Path-part values: the raw (percent-encoded) text that goes into the URL.
HOSTILE_PATH = ("%00", "a%00b", "%C3%28", "%ED%A0%80", "!!!", "'%22%3C%3E", "x" * 5000, "-1", "0")
HOSTILE_INT = ("0", "1", "-1", "99999999999999999999")
# Query-string and form values, percent-encoded as sent (so invalid UTF-8 can be written).
HOSTILE_VALUES = {
    "nul": "%00",
    "nul-inside": "a%00b",
    "invalid-utf8": "%C3%28",
    "surrogate-utf8": "%ED%A0%80",
    "punctuation": "!%27%28%25%22%3C",
    "overlong": "x" * 5000,
    "negative": "-1",
    "huge": "99999999999999999999",
    "float": "1e309",
    "nan": "NaN",
}
# Names most views read from a query string or body whether or not a form shows them.
COMMON_NAMES = (
    "q", "page", "sort", "next", "city", "method", "payment", "pickup_point", "action", "coupon_code", "code",
    "email", "variant", "quantity", "min_price", "max_price", "brand", "in_stock", "on_sale", "reason", "phone",
    "number", "language", "analytics", "marketing", "rating", "text", "password", "login", "InvoiceId", "Amount",
)
FORM = "application/x-www-form-urlencoded"
NOTIFICATIONS = (("cloudpayments", "check"), ("cloudpayments", "pay"), ("epay", "post"), ("epay", "failure"))
_FIELD = re.compile(r"<(input|select|textarea|button)\b([^>]*)>", re.I)
_ATTR = re.compile(r'\b(name|value|type)="([^"]*)"', re.I)
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
_OPTION = re.compile(r'<option\b[^>]*value="([^"]*)"', re.I)


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "{lang}orders/o/<str:token>/"
    name: str
    params: tuple[tuple[str, str], ...]  # (converter, name)

    @property
    def localised(self) -> bool:
        return "{lang}" in self.template

    @property
    def signed_in(self) -> bool:
        return self.template.replace("{lang}", "").startswith(("cabinet/", "accounts/"))


@dataclass
class Walk:
    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def send(self, client: Client, method: str, url: str, *, body: bytes | None = None, content_type: str = ""):
        self.requests += 1
        try:
            if method == "GET":
                response = client.get(url)
            else:
                response = client.generic("POST", url, body or b"", content_type=content_type)
        except Exception as error:  # the view raised: a 500 in production
            self.failures.append(f"{method} {_short(url)} body={_short(body)} -> {type(error).__name__}: {error}"[:500])
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method} {_short(url)} body={_short(body)} -> {response.status_code}")
        return response


def _short(value) -> str:
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return text if len(text) <= 160 else f"{text[:150]}…({len(text)} chars)"


def _routes(patterns, prefix="", namespace="") -> list[Route]:
    found = []
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part = "{lang}"
        elif isinstance(pattern, RoutePattern):
            part = str(pattern)
        else:  # a regex (allauth's e-mail and password-reset keys): its named groups become <str:name> parts
            part = _NAMED_GROUP.sub(r"<str:\1>", str(pattern).removeprefix("^").removesuffix("$")).replace("\\", "")
            if "(" in part or "[" in part:
                continue
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            found += _routes(entry.url_patterns, prefix + part, inner)
        elif isinstance(entry, URLPattern):
            template = prefix + part
            if template.replace("{lang}", "").startswith(SKIPPED_PREFIXES):
                continue
            params = tuple(re.findall(r"<(?:(\w+):)?(\w+)>", template))
            params = tuple((converter or "str", name) for converter, name in params)
            found.append(Route(template, f"{namespace}:{entry.name}" if namespace else str(entry.name), params))
    return found


def _fill(route: Route, values: dict[str, str], lang: str = "") -> str:
    url = route.template.replace("{lang}", lang)
    for _converter, name in route.params:
        url = re.sub(rf"<(?:\w+:)?{name}>", values[name], url, count=1)
    return "/" + url


def _fields(html: str) -> dict[str, set[str]]:
    """The form field names of a page, with the values its buttons, radios and options offer."""
    fields: dict[str, set[str]] = {}
    for tag, attrs in _FIELD.findall(html):
        found = {k.lower(): v for k, v in _ATTR.findall(attrs)}
        name = found.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        offered = fields.setdefault(name, set())
        offers = tag.lower() == "button" or found.get("type", "").lower() in ("radio", "checkbox", "submit", "hidden")
        if offers and found.get("value"):
            offered.add(found["value"])
    for select in re.finditer(r'<select\b[^>]*name="([^"]+)"(.*?)</select>', html, re.S | re.I):
        fields.setdefault(select.group(1), set()).update(v for v in _OPTION.findall(select.group(2)) if v)
    return fields


def _encoded(name: str, value: str) -> str:
    return f"{quote(name, safe='')}={value}"


@pytest.fixture
def shop_data():
    setup = f.delivery_setup()
    product = f.product(price="10000.00", stock=50)
    f.coupon("SALE10")
    Page.objects.get_or_create(
        slug="terms", defaults={"title_ru": "Условия", "body_ru": "Текст", "is_published": True, "version": "1"}
    )
    order = f.placed_order(setup)
    customer = User.objects.create_user(email="walker@example.kz", password="walk-pass-123", full_name="Walker")
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    address = account_services.create_address(
        user=customer, recipient="Walker", phone="+77011234567", city="Алматы", street="пр. Абая, 10"
    )
    customer_order = f.placed_order(setup, user=customer)
    return {
        "setup": setup,
        "product": product,
        "order": order,
        "customer": customer,
        "address": address,
        "customer_order": customer_order,
    }


def _clients(data) -> tuple[Client, Client]:
    variant = data["product"].variants.get()
    guest = Client(HTTP_ORIGIN="http://testserver")
    assert guest.post("/cart/add/", {"variant": variant.pk, "quantity": 1}).status_code == 302
    customer = Client(HTTP_ORIGIN="http://testserver")
    customer.force_login(data["customer"])
    cart = Cart.objects.get_or_create(user=data["customer"])[0]
    CartLine.objects.get_or_create(cart=cart, variant=variant, defaults={"quantity": 1})
    return guest, customer


def _real_value_sets(route: Route, data) -> list[dict[str, str]]:
    """Working values for the route's parts, where the shop has them (none when it has not)."""
    if not route.params:
        return [{}]
    product = data["product"]
    line = CartLine.objects.filter(cart__user=None).first()
    by_name = {
        "token": data["order"].access_token,
        "pk": str(data["address"].pk),
        "line_id": str(line.pk if line else 1),
    }
    names = {name for _converter, name in route.params}
    if names == {"adapter", "kind"}:  # the providers' notifications
        return [{"adapter": a, "kind": k} for a, k in NOTIFICATIONS]
    values = {}
    for name in names:
        if name == "slug":
            plain = route.template.replace("{lang}", "")
            values[name] = (
                product.category.slug if plain.startswith("catalog/")
                else "terms" if plain.startswith("pages/")
                else product.slug
            )
        elif name in by_name:
            values[name] = by_name[name]
        else:
            return []
    return [values]


def _keep_a_cart(client: Client, data) -> None:
    """The walk's own posts empty the guest's cart (remove, quantity 0); the checkout needs one to show its form."""
    session_key = client.session.session_key
    if not CartLine.objects.filter(cart__session_key=session_key, cart__user=None).exists():
        client.post("/cart/add/", {"variant": data["product"].variants.get().pk, "quantity": 1})


def _hostile_forms(walk: Walk, client: Client, route: Route, real: dict[str, str]) -> None:
    url = _fill(route, real)
    page = walk.send(client, "GET", url)
    offered: dict[str, set[str]] = {}
    if page is not None and "html" in page.get("Content-Type", ""):
        offered = _fields(page.content.decode("utf-8", errors="replace"))
    names = sorted(set(offered) | set(COMMON_NAMES))
    for label, value in HOSTILE_VALUES.items():
        raw = "&".join(_encoded(name, value) for name in names)
        lang = "en/" if label == "nul" and route.localised else ""
        walk.send(client, "GET", f"{_fill(route, real, lang)}?{raw}")
        walk.send(client, "POST", _fill(route, real, lang), body=raw.encode(), content_type=FORM)
    # wrong types: every field twice, a JSON body, raw NUL and invalid UTF-8 bytes as a form and as would-be JSON
    twice = "&".join(_encoded(n, v) for n in names for v in ("%00", "-1"))
    walk.send(client, "POST", url, body=twice.encode(), content_type=FORM)
    as_json = json.dumps({n: ["\x00", {"x": -1}] if i % 2 else "\x00" for i, n in enumerate(names)})
    walk.send(client, "POST", url, body=as_json.encode(), content_type="application/json")
    for raw_bytes in (b"\x00", b"\xc3\x28", b"\xff"):
        body = b"&".join(n.encode() + b"=" + raw_bytes for n in names)
        walk.send(client, "POST", url, body=body, content_type=FORM)
        body = b"{" + b", ".join(b'"' + n.encode() + b'": "' + raw_bytes + b'"' for n in names) + b"}"  # not JSON
        walk.send(client, "POST", url, body=body, content_type="application/json")
    # every offered choice (buttons' actions, radios, options) with every other field hostile
    for name, choices in offered.items():
        for choice in sorted(choices)[:6]:
            for value in ("%00", "x" * 5000, "99999999999999999999"):
                raw = "&".join(_encoded(n, quote(choice, safe="") if n == name else value) for n in names)
                walk.send(client, "POST", url, body=raw.encode(), content_type=FORM)


def test_no_url_or_form_answers_hostile_input_with_a_5xx(shop_data):
    started = time.monotonic()
    routes = _routes(get_resolver().url_patterns)
    assert len(routes) > 30, [r.template for r in routes]  # the walk really comes from the resolver
    guest, customer = _clients(shop_data)
    walk = Walk()

    for route in routes:
        # the customer never signs out mid-walk: the cabinet's pages after it would only redirect to the login
        clients = [guest, customer] if route.signed_in and not route.template.endswith("logout/") else [guest]
        languages = LANGUAGE_PREFIXES if route.localised else ("",)

        # 1. Hostile URL parts: every converter gets hostile values, in every language.
        for converter, name in route.params:
            real = (_real_value_sets(route, shop_data) or [{n: "x" for _c, n in route.params}])[0]
            hostile = HOSTILE_INT if converter == "int" else HOSTILE_PATH
            for value in hostile:
                for lang in languages if value in ("%00", "%C3%28", "99999999999999999999") else ("",):
                    url = _fill(route, {**real, name: value}, lang)
                    for client in clients:
                        walk.send(client, "GET", url)
                        walk.send(client, "POST", url, body=b"", content_type="application/x-www-form-urlencoded")

        # 2. Hostile query strings and form bodies on the working URL, for every field the page shows.
        for real in _real_value_sets(route, shop_data):
            for client in clients:
                _keep_a_cart(guest, shop_data)
                _hostile_forms(walk, client, route, real)

    elapsed = time.monotonic() - started
    print(f"\nhostile walk: {len(routes)} URL patterns, {walk.requests} requests, {elapsed:.1f} s")
    assert walk.failures == [], f"{len(walk.failures)} of {walk.requests} requests failed:\n" + "\n".join(
        walk.failures
    )

