"""Support tickets from the contact form (SUP-1): creating one with its number, the acknowledgement mail, and
the per-IP rate limit that keeps the queue free of floods."""

import re
import time
import uuid
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import translation

from config.mail import queue_email

from .models import SupportTicket

ACK_TEMPLATE = "mail/support/ack"
NUMBER_PREFIX = "T-"


def ticket_number(pk: int) -> str:
    """The human number of a ticket: T-000123. Taken from the primary key, so unique and sequential."""
    return f"{NUMBER_PREFIX}{pk:06d}"


@transaction.atomic
def create_ticket(
    *,
    name: str,
    topic: str,
    message: str,
    email: str = "",
    phone: str = "",
    order_number: str = "",
    user=None,
    language: str | None = None,
    ip_address: str | None = None,
) -> SupportTicket:
    """Save a ticket, number it and queue the acknowledgement mail (when there is an e-mail to send it to).

    The number comes from the primary key in the same transaction: nobody ever sees the placeholder, and two
    concurrent tickets can never share a number (the database hands out the keys)."""
    ticket = SupportTicket(
        number=f"new-{uuid.uuid4().hex[:16]}",  # unique placeholder, replaced before the commit
        user=user if user is not None and user.is_authenticated else None,
        name=name,
        email=email,
        phone=phone,
        topic=topic,
        order_number=order_number,
        message=message,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        ip_address=ip_address,
    )
    ticket.full_clean()
    ticket.save()
    ticket.number = ticket_number(ticket.pk)
    ticket.save(update_fields=["number"])
    if ticket.email:
        send_acknowledgement(ticket)
    return ticket


def send_acknowledgement(ticket: SupportTicket) -> None:
    """Queue the "we got your request" mail in the customer's language.

    It carries only what we wrote (number, topic), never the sender's free text: the address is not verified,
    and the form must not become a way to mail arbitrary text to strangers."""
    with translation.override(ticket.language):
        topic = str(ticket.get_topic_display())
    queue_email(
        template=ACK_TEMPLATE,
        to=ticket.email,
        context={"number": ticket.number, "topic": topic, "shop_name": settings.SHOP_NAME},
        language=ticket.language,
    )


# --- Rate limit per client IP -----------------------------------------------------------------------------------

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """A rate as written in settings, "5/h" → Rate(5, 3600). Units s, m, h, d (or "10/minute", "3/15m")."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*", text or "")
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f'SHOP_CONTACT_RATE_LIMIT must look like "5/h", not {text!r}')
    multiplier = int(match[2]) if match[2] else 1
    return Rate(count=int(match[1]), seconds=max(1, multiplier) * _PERIODS[match[3]])


class ContactRateLimit:
    """A fixed-window counter per client IP in the shared cache (Redis: add and incr are atomic)."""

    prefix = "support:contact-rate"

    def rate(self) -> Rate:
        return parse_rate(settings.SHOP_CONTACT_RATE_LIMIT)

    def key(self, ip: str | None, now: float | None = None) -> str:
        window = int((time.time() if now is None else now) // self.rate().seconds)
        return f"{self.prefix}:{ip or 'unknown'}:{window}"

    def hit(self, ip: str | None) -> bool:
        """Count one submission; False when it is over the limit (and must be refused)."""
        rate = self.rate()
        key = self.key(ip)
        cache.add(key, 0, timeout=rate.seconds + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr: this is the first hit of a new window
            cache.add(key, 1, timeout=rate.seconds + 60)
            count = 1
        return count <= rate.count

    def seconds_left(self, now: float | None = None) -> int:
        """Seconds until the current window ends and the counters start again (for Retry-After)."""
        period = self.rate().seconds
        return period - int((time.time() if now is None else now) % period)

    def clear(self, ip: str | None) -> None:
        cache.delete(self.key(ip))


contact_rate_limit = ContactRateLimit()


def client_ip(request) -> str | None:
    """The visitor's IP as allauth's login throttling sees it (honours ALLAUTH_TRUSTED_PROXY_COUNT and
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER behind a proxy), so every per-IP limit in the shop agrees."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None
