"""Support tickets from the contact form (SUP-1): creating one with its number, the acknowledgement mail, and
the per-IP rate limit that keeps the queue free of floods."""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import translation

from base.mail import queue_email
from base.ratelimit import RateLimit

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


# The contact form's limit per client IP (SHOP_CONTACT_RATE_LIMIT, e.g. "5/h"): keeps the queue free of floods.
contact_rate_limit = RateLimit("support:contact-rate", "SHOP_CONTACT_RATE_LIMIT")
