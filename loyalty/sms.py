"""Sending a text message (LOY-1's one-time code) through a pluggable backend named by ``SHOP_SMS_BACKEND``.

- `ConsoleSMSBackend` (development): writes the message to the log and keeps the last ones in `outbox`, in memory;
- `FileSMSBackend` (development, tests across processes): appends one JSON line per message to ``SHOP_SMS_FILE_PATH``;
- `HttpSMSBackend` (production): a provider's HTTP API (Mobizon, an SMS gateway used in Kazakhstan, by default),
  configured by ``SHOP_SMS_API_URL`` and ``SHOP_SMS_API_KEY``; a failed send raises `SMSError`.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """The message could not be handed to the provider."""


class SMSBackend:
    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(SMSBackend):
    outbox: deque = deque(maxlen=100)  # (phone, text), newest last: what a developer or a browser test reads

    def send(self, *, phone, text):
        ConsoleSMSBackend.outbox.append((phone, text))
        logger.warning("SMS to %s: %s", phone, text)


class FileSMSBackend(SMSBackend):
    def send(self, *, phone, text):
        path = Path(settings.SHOP_SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as file:
            file.write(json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text}) + "\n")


class HttpSMSBackend(SMSBackend):
    """POSTs recipient and text (form-encoded) with the API key to ``SHOP_SMS_API_URL``; a 2xx answer is success."""

    timeout = 10

    def send(self, *, phone, text):
        if not settings.SHOP_SMS_API_URL or not settings.SHOP_SMS_API_KEY:
            raise SMSError("SHOP_SMS_API_URL and SHOP_SMS_API_KEY are not set")
        if not settings.SHOP_SMS_API_URL.startswith("https://"):
            raise SMSError("SHOP_SMS_API_URL must be an https:// address")
        query = urllib.parse.urlencode({"apiKey": settings.SHOP_SMS_API_KEY})
        body = urllib.parse.urlencode({"recipient": phone.lstrip("+"), "text": text}).encode()
        url = f"{settings.SHOP_SMS_API_URL}?{query}"
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 (https checked above)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (https checked above)
                if not 200 <= response.status < 300:
                    raise SMSError(f"the SMS provider answered {response.status}")
        except (urllib.error.URLError, TimeoutError) as error:
            raise SMSError(str(error)) from error


def backend() -> SMSBackend:
    return import_string(settings.SHOP_SMS_BACKEND)()


def send_sms(*, phone: str, text: str) -> None:
    backend().send(phone=phone, text=text)
