"""The payments' append-only event log (PAY-3): every call to or from a provider, with card data and secrets
masked before anything is stored."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode

from base.request_text import storable_text

from .models import PaymentEvent

# Keys whose values never reach the database or the logs (compared case-insensitively, without separators).
SENSITIVE = {
    "cardexpdate",
    "cardnumber",
    "pan",
    "cvv",
    "cvc",
    "cvv2",
    "token",
    "secrethash",
    "clientsecret",
    "accesstoken",
    "password",
    "apisecret",
    "authorization",
    "cryptogram",
    "cardcryptogrampacket",
}
# Header names kept with an event: the ones that say who sent it and how it was signed.
KEPT_HEADERS = ("Content-Hmac", "X-Content-Hmac", "Content-Type", "User-Agent", "X-Forwarded-For")
MASK = "***"
PAYLOAD_LIMIT = 20000
_PAN = re.compile(r"\b(\d{6})\d{3,9}(\d{4})\b")


def _normal(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _mask_value(key: str, value):
    if _normal(str(key)) in SENSITIVE:
        return MASK
    if isinstance(value, dict):
        return {k: _mask_value(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_value("", v) for v in value]
    if isinstance(value, str):
        return _PAN.sub(r"\1******\2", value)
    return value


def masked(payload) -> str:
    """The payload as text with sensitive fields masked: JSON, a form body, or bytes of either; NUL and lone
    surrogates escaped (the log keeps an attack's body too) and cut to PAYLOAD_LIMIT characters."""
    return storable_text(_masked(payload), max_length=PAYLOAD_LIMIT)


def _masked(payload) -> str:
    if payload is None:
        return ""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", errors="replace")
    if isinstance(payload, (dict, list)):
        return json.dumps(_mask_value("", payload), ensure_ascii=False, default=str)
    text = str(payload)
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            return json.dumps(_mask_value("", json.loads(stripped)), ensure_ascii=False)
        except ValueError:
            pass
    if "=" in text and "\n" not in text:
        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs:
            return urlencode([(k, _mask_value(k, v)) for k, v in pairs])
    return _PAN.sub(r"\1******\2", text)


def kept_headers(request) -> dict:
    if request is None:
        return {}
    return {
        name: storable_text(request.headers[name], max_length=300) for name in KEPT_HEADERS if name in request.headers
    }


def record(
    *, payment=None, adapter: str = "", kind: str, verified: bool = False, outcome: str = "", payload=None, request=None
) -> PaymentEvent:
    remote_ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return PaymentEvent.objects.create(
        payment=payment,
        adapter=adapter or (payment.adapter if payment else ""),
        kind=kind,
        verified=verified,
        outcome=(outcome or "")[:200],
        payload=masked(payload),
        headers=kept_headers(request),
        remote_ip=remote_ip or None,
    )
