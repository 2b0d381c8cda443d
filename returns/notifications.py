"""The customer's mails about a return (RET-4, item 7): the confirmation with the request number, one mail per state
change and one when money is sent — each with the timeline's next step, written in the customer's language."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from base.mail import queue_email
from base.money import format_money

from . import timeline
from .models import ReturnState

KINDS = {"submitted", *ReturnState.values}


def request_link(request) -> str:
    """The order's secret page, where the request's timeline is shown (guests have no cabinet)."""
    with translation.override(request.language):
        return f"{settings.SHOP_BASE_URL}{request.order.get_absolute_url()}"


def notify(request, kind: str) -> None:
    """Queue the mail of `kind` (the new state, or "submitted") for the request's customer."""
    if kind not in KINDS:
        raise ValueError(kind)
    with translation.override(request.language):
        context = {
            "number": request.number,
            "order_number": request.order.number,
            "name": request.order.full_name,
            "state": request.state,
            "state_label": str(ReturnState(request.state).label),
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
    queue_email(template="mail/returns/state_changed", to=request.email, context=context, language=request.language)


def notify_refund_sent(refund, amount: Decimal, *, request=None) -> None:
    """REF-5: money is on its way — the amount, the method and when to expect it."""
    order = refund.order
    language = request.language if request is not None else order.language
    with translation.override(language):
        destination = timeline.refund_destination(refund, request) if request is not None else ""
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
