"""Support tickets from the contact form (SUP-1): creating one with its number, the acknowledgement mail, and
the per-IP rate limit that keeps the queue free of floods."""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import translation

from base.mail import queue_email
from base.ratelimit import RateLimit

from .models import SupportReply, SupportTicket

ACK_TEMPLATE = "mail/support/ack"
REPLY_TEMPLATE = "mail/support/reply"
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


@transaction.atomic
def reply_to_ticket(*, ticket: SupportTicket, author, message: str) -> SupportReply:
    """Support answers a ticket (SUP-2): the reply joins the ticket's thread and is mailed to the customer in the
    language they wrote in. A ticket with a phone only keeps the reply in its thread (support calls them back).

    The mail carries our reply, never the customer's own text: the address is not verified (see the
    acknowledgement). A new ticket that gets an answer is now waiting for the customer, and an unassigned one
    becomes the author's: whoever answered owns the conversation."""
    ticket = SupportTicket.objects.select_for_update().get(pk=ticket.pk)
    reply = SupportReply(ticket=ticket, author=author, message=message.strip(), mailed_to=ticket.email)
    reply.full_clean()
    reply.save()
    changed = []
    if ticket.status == SupportTicket.Status.NEW:
        ticket.status = SupportTicket.Status.WAITING
        changed.append("status")
    if ticket.assignee_id is None and author is not None and author.is_staff:
        ticket.assignee = author
        changed.append("assignee")
    if changed:
        ticket.save(update_fields=[*changed, "updated_at"])
    if ticket.email:
        with translation.override(ticket.language):
            topic = str(ticket.get_topic_display())
        queue_email(
            template=REPLY_TEMPLATE,
            to=ticket.email,
            context={
                "number": ticket.number,
                "topic": topic,
                "name": ticket.name,
                "reply": reply.message,
                "shop_name": settings.SHOP_NAME,
            },
            language=ticket.language,
        )
    return reply


# The contact form's limit per client IP (SHOP_CONTACT_RATE_LIMIT, e.g. "5/h"): keeps the queue free of floods.
contact_rate_limit = RateLimit("support:contact-rate", "SHOP_CONTACT_RATE_LIMIT")
