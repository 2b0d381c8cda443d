"""The customer's mails about a return (RET-4, item 7): the confirmation with the request number, one mail per state
change and one when money is sent — each with the timeline's next step, written in the customer's language."""

from __future__ import annotations

import logging
import smtplib
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from base.mail import queue_email
from base.money import format_money

from . import documents, timeline
from .models import ReturnRequest, ReturnState

logger = logging.getLogger(__name__)
STATE_CHANGED = "mail/returns/state_changed"

KINDS = {"submitted", *ReturnState.values}


def request_link(request) -> str:
    """The order's secret page, where the request's timeline is shown (guests have no cabinet)."""
    with translation.override(request.language):
        return f"{settings.SHOP_BASE_URL}{request.order.get_absolute_url()}"


def notify(request, kind: str) -> None:
    """Queue the mail of `kind` (the new state, or "submitted") for the request's customer. The confirmation
    ("submitted") carries the request's withdrawal form as a PDF, rendered by the worker after the commit."""
    if kind not in KINDS:
        raise ValueError(kind)
    if kind == "submitted":
        request_id = request.pk
        transaction.on_commit(lambda: send_confirmation.delay(request_id=request_id))
        return
    queue_email(template=STATE_CHANGED, to=request.email, context=mail_context(request), language=request.language)


def mail_context(request, *, state: str = "") -> dict:
    """What the state mail says; `state` pins the news told (the confirmation is sent after the commit, when a
    tracking number given with the request may already have moved it on)."""
    state = state or request.state
    with translation.override(request.language):
        return {
            "number": request.number,
            "order_number": request.order.number,
            "name": request.order.full_name,
            "state": state,
            "state_label": str(ReturnState(state).label),
            "next_step": timeline.next_step(request),
            "lines": [
                {"name": line.order_line.product_name, "quantity": line.quantity}
                for line in request.lines.all()  # the batch sweeps prefetch lines and their order lines
            ],
            "link": request_link(request),
            "shop_name": settings.SHOP_NAME,
            "shop_url": f"{settings.SHOP_BASE_URL}{reverse('shop:home')}",
            "contact_url": f"{settings.SHOP_BASE_URL}{reverse('support:contact')}",
        }


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_confirmation(*, request_id: int) -> int:
    """RET-4 (item 2): the confirmation with the request number and its pre-filled withdrawal form attached.
    base.mail's templated mails carry no attachments, so this renders the same templates itself; a retry only
    sends again."""
    request = (
        ReturnRequest.objects.select_related("order", "refund")
        .prefetch_related("lines__order_line")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    context = mail_context(request, state=ReturnState.SUBMITTED)
    with translation.override(request.language):
        subject = " ".join(render_to_string(f"{STATE_CHANGED}_subject.txt", context).split())
        body = render_to_string(f"{STATE_CHANGED}.txt", context)
        try:
            html = render_to_string(f"{STATE_CHANGED}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [request.email])
    if html:
        message.attach_alternative(html, "text/html")
    message.attach(documents.return_request_filename(request), documents.return_request_pdf(request), documents.PDF)
    sent = message.send()
    logger.info("return request %s: confirmation sent with its withdrawal form", request.number)
    return sent


def notify_refund_sent(refund, amount: Decimal, *, request=None) -> None:
    """REF-5: money is on its way — the amount, the method and when to expect it."""
    order = refund.order
    language = request.language if request is not None else order.language
    with translation.override(language):
        destination = timeline.refund_destination(refund, request)
        context = {
            "number": refund.number,
            "order_number": order.number,
            "name": order.full_name,
            "amount": format_money(amount),
            "destination": str(destination),
            "due_by": timeline.day(refund.due_by),
            "link": f"{settings.SHOP_BASE_URL}{order.get_absolute_url()}",
            "shop_name": settings.SHOP_NAME,
            "shop_url": f"{settings.SHOP_BASE_URL}{reverse('shop:home')}",
        }
    queue_email(template="mail/returns/refund_sent", to=order.email, context=context, language=language)
