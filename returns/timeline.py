"""The customer's timeline of a return request (item 7): its steps and the next deadline in plain words, in the
language active when it is called ("Send the parcel by 16 December", "Refund due by 17 December, to the card
ending 4242"). Pages and mails both read it, so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from base.money import format_money
from base.workdays import shop_tz
from orders.payment_methods import get_adapter
from payments.models import MONEY_TAKEN, Payment

from . import deadlines, policy
from .models import Exchange, Refund, ReturnRequest, ReturnState

CARD_PAYMENTS = "card_payments"  # where card_payments_prefetch() puts an order's paid card payments


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    when: str = ""  # the day it happened, in words
    current: bool = False


def day(value) -> str:
    """A day as people write it in the active language: "16 December" (the year only when it is not this one)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value, shop_tz()).date()
    this_year = timezone.localtime(timezone.now(), shop_tz()).year
    # "E": the month as it stands in a date ("16 декабря"; "F" is the bare name, "16 Декабрь", wrong in Russian)
    return formats.date_format(value, "j E" if value.year == this_year else "j E Y")


def card_payments_prefetch(path: str = "order__payments") -> Prefetch:
    """What `card_last4` reads, prefetched for a list of requests (one query for the whole list)."""
    paid = Payment.objects.filter(status__in=MONEY_TAKEN).exclude(card_last4="").only("order_id", "card_last4")
    return Prefetch(path, queryset=paid, to_attr=CARD_PAYMENTS)


def card_last4(order) -> str:
    """The last four digits of the card that paid the order (REF-5 wording), or "" when unknown or when more than
    one card paid it (the refund then goes back to several cards)."""
    payments = getattr(order, CARD_PAYMENTS, None)
    if payments is None:
        payments = Payment.objects.filter(order_id=order.pk, status__in=MONEY_TAKEN).exclude(card_last4="")
    digits = {payment.card_last4 for payment in payments}
    return digits.pop() if len(digits) == 1 else ""


def refund_destination(refund: Refund | None, request: ReturnRequest | None) -> str:
    """Where the money goes back (REF-4), in words: "to the card ending 4242" when the provider told us the card."""
    order = request.order if request is not None else refund.order
    channel = deadlines.refund_channel_for(order.payment_method)
    if channel == policy.CASH:
        if request is not None and request.iban:
            return _("to the bank account ending %(last4)s") % {"last4": request.iban[-4:]}
        return _("by bank transfer")
    if channel == policy.EWALLET:
        return _("to the account you paid with")
    last4 = card_last4(order)
    if last4:
        return _("to the card ending %(last4)s") % {"last4": last4}
    return _("to the card you paid with")


def steps(request: ReturnRequest) -> list[Step]:
    state = request.state
    inspected = state in (ReturnState.ACCEPTED, ReturnState.REJECTED, ReturnState.REFUNDED, ReturnState.EXCHANGED)
    result = [
        Step(_("Request registered"), True, day(request.created_at)),
        Step(
            _("Parcel sent"), request.shipped_at is not None or request.received_at is not None, day(request.shipped_at)
        ),
        Step(_("Goods received"), request.received_at is not None, day(request.received_at)),
        Step(_("Goods inspected"), inspected, day(request.inspected_at)),
    ]
    if state == ReturnState.EXCHANGED:
        result.append(Step(_("Exchanged"), True, day(request.closed_at)))
    elif state == ReturnState.REJECTED:
        result.append(Step(_("Rejected"), True, day(request.closed_at)))
    elif state in (ReturnState.LAPSED, ReturnState.CANCELLED):
        return [result[0], Step(str(ReturnState(state).label), True, day(request.closed_at))]
    else:
        result.append(Step(_("Refunded"), state == ReturnState.REFUNDED, day(request.closed_at)))
    current = next((i for i, step in enumerate(result) if not step.done), None)
    return [Step(step.label, step.done, step.when, current=(i == current)) for i, step in enumerate(result)]


LIVE_EXCHANGES = "live_exchanges"  # where exchanges_prefetch() puts a request's live exchange


def _live_exchanges():
    return Exchange.objects.exclude(status=Exchange.Status.CANCELLED).select_related("order", "line", "refund")


def exchanges_prefetch() -> Prefetch:
    """What `exchange_of` reads, prefetched for a list of requests (one query for the whole list)."""
    return Prefetch("exchanges", queryset=_live_exchanges(), to_attr=LIVE_EXCHANGES)


def exchange_of(request: ReturnRequest) -> Exchange | None:
    """RET-8: the request's exchange that is done or waits for the customer's price difference."""
    prefetched = getattr(request, LIVE_EXCHANGES, None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return _live_exchanges().filter(request_id=request.pk).first()


def pay_url(exchange: Exchange | None) -> str:
    """Where the customer pays an exchange's difference: the exchange order's normal payment step."""
    if exchange is None or exchange.status != Exchange.Status.AWAITING_PAYMENT:
        return ""
    adapter = get_adapter(exchange.order.payment_method)
    if adapter is None or not adapter.online:
        return ""  # cash on delivery: the courier collects the difference with the replacement
    return reverse("payments:pay", kwargs={"token": exchange.order.access_token})


def next_step(request: ReturnRequest) -> str:
    """The next thing to happen, with its deadline, in one sentence."""
    state = request.state
    refund = request.refund
    if state in (ReturnState.RECEIVED, ReturnState.EXCHANGED):
        exchange = exchange_of(request)
        if exchange is not None and exchange.status == Exchange.Status.AWAITING_PAYMENT and not exchange.order.pay_by:
            return _(
                "We exchange your goods for %(product)s; pay the courier the difference of %(amount)s on delivery."
            ) % {
                "product": exchange.line.product_name,
                "amount": format_money(exchange.surcharge),
            }
        if exchange is not None and exchange.status == Exchange.Status.AWAITING_PAYMENT:
            return _(
                "We exchange your goods for %(product)s once you pay the difference of %(amount)s by %(date)s."
            ) % {
                "product": exchange.line.product_name,
                "amount": format_money(exchange.surcharge),
                "date": day(exchange.order.pay_by),
            }
        if exchange is not None and refund is not None:
            return _(
                "Exchanged for %(product)s × %(quantity)d (order %(number)s); the difference of %(amount)s is "
                "refunded %(destination)s."
            ) % {
                "product": exchange.line.product_name,
                "quantity": exchange.quantity,
                "number": exchange.order.number,
                "amount": format_money(refund.amount),
                "destination": refund_destination(refund, request),
            }
        if exchange is not None:
            return _("Exchanged for %(product)s × %(quantity)d (order %(number)s).") % {
                "product": exchange.line.product_name,
                "quantity": exchange.quantity,
                "number": exchange.order.number,
            }
    if state == ReturnState.SUBMITTED:
        if request.shipping == "courier_pickup":
            return _("A courier will collect the parcel; hand it over by %(date)s.") % {
                "date": day(request.send_back_by)
            }
        return _("Send the parcel by %(date)s and tell us its tracking number.") % {"date": day(request.send_back_by)}
    if state == ReturnState.AWAITING_GOODS:
        return _(
            "We are waiting for your parcel; we inspect the goods within %(days)d working days of receiving them."
        ) % {"days": settings.SHOP_RETURN_INSPECTION_WORKING_DAYS}
    if state == ReturnState.RECEIVED:
        return _("We received the goods and will answer by %(date)s.") % {"date": day(request.inspect_by)}
    if state == ReturnState.ACCEPTED:
        if refund is None:
            return _("The return is accepted.")
        return _("Refund of %(amount)s due by %(date)s, %(destination)s.") % {
            "amount": format_money(refund.amount),
            "date": day(refund.due_by),
            "destination": refund_destination(refund, request),
        }
    if state == ReturnState.REFUNDED:
        if refund is None:
            return _("Refunded.")
        return _("Refunded: %(amount)s %(destination)s on %(date)s.") % {
            "amount": format_money(refund.amount),
            "destination": refund_destination(refund, request),
            "date": day(refund.sent_at or refund.refunded_at or request.closed_at),
        }
    if state == ReturnState.REJECTED:
        return _("The return was rejected: %(reason)s. We send the goods back to you.") % {
            "reason": request.rejection_reason
        }
    if state == ReturnState.EXCHANGED:
        return _("The goods were exchanged.")
    if state == ReturnState.LAPSED:
        return _("The request lapsed: the goods were not sent by %(date)s.") % {"date": day(request.send_back_by)}
    return _("You cancelled this request.")


def item(request: ReturnRequest) -> dict:
    """What a page shows of one request: its steps, its next step and what the customer may still do."""
    exchange = exchange_of(request) if request.state in (ReturnState.RECEIVED, ReturnState.EXCHANGED) else None
    return {
        "request": request,
        "steps": steps(request),
        "next_step": next_step(request),
        "exchange": exchange,
        "pay_url": pay_url(exchange),
        "may_cancel": request.state == ReturnState.SUBMITTED,
        "asks_tracking": request.state == ReturnState.SUBMITTED and request.shipping == "own_shipment",
    }
