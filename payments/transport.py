"""HTTP to payment providers. One function for every adapter, so the sandbox can stand in for all of them.

A URL on ``SHOP_PAYMENT_SANDBOX_HOST`` never leaves the process: it is served by this Django project's own views
(the sandbox gateways of PAY-6, and our notification endpoints when a sandbox "provider" calls us), through the
full request stack — middleware, raw body, headers — so the demo and the tests run the real code paths offline,
and a single-process dev server cannot deadlock waiting for itself. Any other URL is a real HTTPS call."""

from __future__ import annotations

import base64
import json as jsonlib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

DEFAULT_TIMEOUT = 15


class TransportError(Exception):
    """The provider could not be reached (network, timeout, TLS)."""


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)

    def json(self):
        try:
            return jsonlib.loads(self.body.decode("utf-8") or "null")
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def send(
    method: str,
    url: str,
    *,
    data: dict | None = None,
    json=None,
    body: bytes | None = None,
    content_type: str = "",
    headers: dict | None = None,
    basic_auth: tuple[str, str] | None = None,
    client_cert: tuple[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Response:
    """Send one request. `data` is form-encoded, `json` JSON-encoded, `body` sent as is."""
    headers = dict(headers or {})
    if data is not None:
        body = urlencode(data).encode()
        content_type = content_type or "application/x-www-form-urlencoded"
    elif json is not None:
        body = jsonlib.dumps(json, ensure_ascii=False, default=str).encode()
        content_type = content_type or "application/json"
    if content_type:
        headers["Content-Type"] = content_type
    if basic_auth is not None:
        token = base64.b64encode(f"{basic_auth[0]}:{basic_auth[1]}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    if urlsplit(url).hostname == settings.SHOP_PAYMENT_SANDBOX_HOST:
        return _in_process(method, url, body=body or b"", headers=headers)
    return _over_network(method, url, body=body, headers=headers, client_cert=client_cert, timeout=timeout)


def _over_network(method, url, *, body, headers, client_cert, timeout) -> Response:
    if not url.startswith("https://"):
        raise ImproperlyConfigured(f"payment providers are called over HTTPS only, not {url!r}")
    context = ssl.create_default_context()
    if client_cert and client_cert[0]:
        context.load_cert_chain(client_cert[0], client_cert[1] or None)
    request = urllib.request.Request(url, data=body, method=method.upper(), headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:  # noqa: S310 (https only)
            return Response(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read() or b"", dict(error.headers or {}))
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise TransportError(f"{type(error).__name__} calling {urlsplit(url).hostname}") from error


def _in_process(method, url, *, body: bytes, headers: dict) -> Response:
    if not settings.SHOP_PAYMENT_SANDBOX:
        raise ImproperlyConfigured("the payment sandbox is off: set the provider's real URL")
    from django.test import Client  # the in-process request stack; it keeps the caller's database connection

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    extra = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    content_type = headers.get("Content-Type", "application/octet-stream")
    language = translation.get_language()
    try:
        client = Client(raise_request_exception=False, SERVER_NAME=_local_host())
        answer = client.generic(method.upper(), path, data=body, content_type=content_type, headers=extra)
    finally:
        translation.activate(language) if language else translation.deactivate()
    content = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return Response(answer.status_code, content, dict(answer.headers))


def _local_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return host.strip("[]") if host.startswith("[") else host
    return "localhost"
