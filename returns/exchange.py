"""Exchanges (RET-8, WAR-4): goods come back and a replacement goes out instead of the money — the same item, or
another item with the price difference settled. One service for both doors: support decides a return request's
inspection by an exchange (`exchange_for_return`) or resolves a warranty claim by one (`exchange_for_claim`).

How it is built, and why:
- The replacement goes out as an *exchange order* placed by `orders.checkout.services.place_exchange_order`: its
  one line is the replacement at today's price (ORD-3), its stock taken under the variant's row lock by the
  checkout's own `take_stock` (ORD-4) — no stock, nothing is saved. The order's page, mails, assembling and
  delivery are the ordinary ones, so nothing new is needed to hand the goods over.
- The money: the customer's *credit* is what they actually paid for the units coming back (REF-1, the same
  per-unit amounts a refund would give, after units refunded before). `returns.policy.exchange_settlement` says who
  owes whom. A cheaper replacement → the rest of the credit is refunded through the one refund path
  (`services.refund_for_exchange` → `_create_refund`: a `Refund` with its lines, back the way the order was paid,
  REF-4/5). A dearer one → the credit covers part of the exchange order as an "exchange credit" discount, so that
  order's total is exactly the difference, paid through the normal payment step of its secret page (the link is
  mailed) until `SHOP_EXCHANGE_PAYMENT_DAYS` have passed; the exchange completes when the order is paid
  (`orders.signals.order_paid`, see `receivers`) and is dropped, the request or claim open again, when the order is
  cancelled unpaid (PAY-4 sweep). The same item for the same item is like for like: never a surcharge, never a
  refund for the replaced units (WAR-4 "without surcharge").
- The returned goods are not put back on sale here: the return flow never restocks returned goods (they are
  inspected, then handled by the warehouse), and an exchange follows it. Bonuses stay with the purchase as for
  any exchange (`loyalty.returned_goods.return_withdrawn`).
- Locks: the source order, then the request (or the claim), then the replacement's variant — the order every
  returns move and a cancellation take them in. A database constraint allows one live exchange per request or
  claim, so two staff pressing at once make one exchange; the second is refused.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from base.mail import queue_email
from base.money import ZERO, format_money
from base.request_text import clean_text
from loyalty import returned_goods
from orders import locks as order_locks
from orders.checkout.services import CheckoutError, place_exchange_order
from orders.payment_methods import get_adapter
from shop.models import Variant

from . import policy, services, timeline, transitions
from .models import Exchange, Refund, RefundLine, ReturnRequest
from .transitions import STAFF, ReturnError
from .warranty import events as claim_events
from .warranty import services as claim_services
from .warranty.models import WarrantyClaim
from .warranty.policy import Remedy

EXCHANGE_OFFERED = "exchange_offered"  # the request's event: a dearer replacement waits for the difference
EXCHANGE_DROPPED = "exchange_dropped"  # the difference was not paid: the request is open again
SEARCH_LIMIT = 50  # replacements offered on the admin's select at a time
SEARCH_LENGTH = 100  # a longer search (or one the database cannot store, e.g. with NUL) finds nothing special


class ExchangeRefused(ReturnError):
    """An exchange the rules or the stock refuse; `message` is for the staff member (nothing was changed)."""


# --- Choosing the replacement (the admin's select) -----------------------------------------------------------------


def replacements(query: str = "", *, near: Variant | None = None):
    """Variants support may hand out: on sale (active product and category) and in stock; narrowed by `query`
    (product name, SKU or variant name), else those of the returned item's category."""
    variants = (
        Variant.objects.filter(product__is_active=True, product__category__is_active=True, stock__gt=0)
        .select_related("product")
        .order_by("product__name", "sku")
    )
    query = " ".join((clean_text(query or "", max_length=SEARCH_LENGTH) or "").split())
    if query:
        return variants.filter(Q(product__name__icontains=query) | Q(sku__icontains=query) | Q(name__icontains=query))[
            :SEARCH_LIMIT
        ]
    if near is not None:
        return variants.filter(product__category_id=near.product.category_id)[:SEARCH_LIMIT]
    return variants[:SEARCH_LIMIT]


def replacement_label(variant: Variant) -> str:
    return f"{variant} — {variant.sku} — {format_money(variant.current_price)} ({variant.stock})"


def replacement_choices(query: str = "", *, near: Variant | None = None, chosen=None) -> list[tuple[int, str]]:
    """The admin select's options: the returned item itself first (the same-item exchange), what the search
    found, and the one already chosen (a posted form shown again keeps its choice)."""
    found = list(replacements(query, near=near))
    extra = [near] if near is not None else []
    chosen = str(chosen or "")
    if chosen.isdigit() and len(chosen) < 10:  # an id a form may post; anything else is simply not offered
        extra += list(Variant.objects.filter(pk=int(chosen)).select_related("product"))
    seen, choices = set(), []
    for variant in [*extra, *found]:
        if variant.pk not in seen:
            seen.add(variant.pk)
            choices.append((variant.pk, replacement_label(variant)))
    return choices


# --- Shared steps -------------------------------------------------------------------------------------------------


def live_exchange(*, request=None, claim=None) -> Exchange | None:
    """The request's or claim's exchange that is done or waits for its difference (None: none)."""
    if request is None and claim is None:
        raise ValueError("a request or a claim")
    rows = Exchange.objects.exclude(status=Exchange.Status.CANCELLED).select_related("order", "line", "refund")
    return rows.filter(request=request).first() if request is not None else rows.filter(claim=claim).first()


def _refunded_units(order) -> dict[int, int]:
    return dict(
        RefundLine.objects.filter(refund__order=order)
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
        .values_list("order_line_id", "units")
    )


def _require_paid(order) -> None:
    """The credit is money the customer paid (REF-1): an order not paid yet has none to exchange against."""
    if order.paid_amount <= 0:
        raise ExchangeRefused(_("The order is not paid yet: record its payment before exchanging its goods."))


def _locked_variant(variant_id) -> Variant:
    variant = next(iter(order_locks.variants_with_products_for_update([variant_id])), None)
    if variant is None:
        raise ExchangeRefused(_("Choose the replacement from the catalogue."))
    return variant


def _spread(parts, amount: Decimal) -> list[tuple[object, int, Decimal]]:
    """The refunded difference laid over the returned lines (each no further than it paid), for the refund's lines."""
    lines, left = [], amount
    for line, units, paid in parts:
        share = min(paid, left)
        left -= share
        if share > 0:
            lines.append((line, units, share))
    return lines


def _place(*, source, variant, quantity, settlement, actor, now):
    covered = policy.replacement_price(variant.current_price, quantity) - settlement.surcharge
    try:
        return place_exchange_order(
            source=source,
            variant_id=variant.pk,
            quantity=quantity,
            covered=covered,
            pay_by=now + timedelta(days=settings.SHOP_EXCHANGE_PAYMENT_DAYS),
            actor=actor,
            now=now,
        )
    except CheckoutError as error:
        raise ExchangeRefused(error.message) from None


def pays_online(order) -> bool:
    """The exchange order takes its difference online (the source order's method); cash on delivery collects it at
    the door instead, with the replacement."""
    adapter = get_adapter(order.payment_method)
    return bool(adapter and adapter.online)


def pay_link(exchange: Exchange) -> str:
    """The exchange order's payment step, absolute, in the customer's language (for mails); "" for cash on
    delivery."""
    if not pays_online(exchange.order):
        return ""
    with translation.override(exchange.order.language):
        return f"{settings.SHOP_BASE_URL}{reverse('payments:pay', kwargs={'token': exchange.order.access_token})}"


def _mail(exchange: Exchange, *, kind: str, number: str, email: str, language: str, name: str) -> None:
    """The customer hears of the exchange in their language: what the replacement is and, when they owe the
    difference, how much and the link to pay it (`mail/returns/exchange_<kind>`)."""
    with translation.override(language):
        context = {
            "number": number,
            "name": name,
            "product": exchange.line.product_name,
            "quantity": exchange.quantity,
            "order_number": exchange.order.number,
            "amount": format_money(exchange.surcharge),
            "refund": format_money(exchange.refund.amount) if exchange.refund_id else "",
            "pay_link": pay_link(exchange) if exchange.surcharge else "",
            "on_delivery": bool(exchange.surcharge) and not pays_online(exchange.order),
            "pay_by": timeline.day(exchange.order.pay_by) if exchange.order.pay_by else "",
            "link": f"{settings.SHOP_BASE_URL}{exchange.order.get_absolute_url()}",
            "shop_name": settings.SHOP_NAME,
            "shop_url": f"{settings.SHOP_BASE_URL}{reverse('shop:home')}",
        }
    queue_email(template=f"mail/returns/exchange_{kind}", to=email, context=context, language=language)


def _exchanged_note(exchange: Exchange, language: str, note: str = "") -> str:
    """The claim's resolution as the customer reads it (the act, the mail): "Exchanged for X (order N)."."""
    with translation.override(language):
        said = _("Exchanged for %(product)s (order %(number)s).") % {
            "product": exchange.line.product_name,
            "number": exchange.order.number,
        }
    return f"{said} {note}".strip()


# --- RET-8: a return request exchanged at its inspection -----------------------------------------------------------


def exchange_for_return(
    *, request: ReturnRequest, variant_id: int, quantity: int, actor=None, note: str = ""
) -> Exchange:
    """RET-8: the inspected goods of `request` are exchanged for `quantity` (≤ the units coming back) units of the
    variant `variant_id`. Same or cheaper: done at once (the request is "exchanged"; a cheaper replacement's
    difference is the request's refund). Dearer: the exchange order waits for the difference and the request
    stays "received" until it is paid. Refused (ExchangeRefused, nothing changed) in any other state, when the
    request already has a live exchange, beyond the returned units, or without stock."""
    now = timezone.now()
    with transaction.atomic():
        locked = transitions.locked_request(request.pk)
        if policy.EXCHANGE not in policy.allowed_actions(locked.state):
            raise ExchangeRefused(
                _("The request %(number)s is %(state)s: this cannot be done now.")
                % {"number": locked.number, "state": locked.get_state_display()}
            )
        if live_exchange(request=locked) is not None:
            raise ExchangeRefused(_("This request is already being exchanged."))
        order = locked.order
        _require_paid(order)
        refunded = _refunded_units(order)
        parts, unit_amounts = [], []
        for row in locked.lines.select_related("order_line"):
            line = row.order_line
            before = refunded.get(line.pk, 0)
            units = min(row.quantity, line.quantity - before)
            if units <= 0:
                continue
            parts.append((line, units, policy.refund_for_units(line.paid_total, line.quantity, before, units)))
            unit_amounts.append(policy.unit_refunds(line.paid_total, line.quantity)[before : before + units])
        returned = sum(units for _line, units, _paid in parts)
        if not 1 <= quantity <= returned:
            raise ExchangeRefused(
                _("Give between 1 and %(units)d units: as many as come back, at most.") % {"units": returned}
            )
        variant = _locked_variant(variant_id)
        credit = sum((paid for *_rest, paid in parts), ZERO)
        same_item = len(parts) == 1 and parts[0][0].variant_id == variant.pk
        worth = (
            policy.like_for_like_value(unit_amounts[0], quantity)
            if same_item
            else policy.replacement_price(variant.current_price, quantity)
        )
        settlement = policy.exchange_settlement(credit=credit, replacement=worth)
        exchange_order, new_line = _place(
            source=order, variant=variant, quantity=quantity, settlement=settlement, actor=actor, now=now
        )
        refund = None
        if settlement.refund > 0:
            refund = services.refund_for_exchange(
                order=order,
                reason=Refund.Reason.RETURN,
                lines=_spread(parts, settlement.refund),
                actor=actor,
                now=now,
            )
        done = settlement.surcharge == 0
        exchange = _record(
            settlement,
            done=done,
            refund=refund,
            actor=actor,
            now=now,
            request=locked,
            source_order=order,
            order=exchange_order,
            line=new_line,
            quantity=quantity,
            same_item=same_item,
        )
        what = f"{exchange_order.number}: {new_line.product_name} × {quantity}"
        if done:
            if refund is not None:
                locked.refund = refund
                locked.save(update_fields=["refund"])
            transitions.apply_action(
                locked, policy.EXCHANGE, actor=actor, role=STAFF, note=f"{what} {note}".strip(), now=now
            )
            returned_goods.return_withdrawn(key=services.loyalty_key(locked))
        else:
            transitions.record_event(
                locked,
                action=EXCHANGE_OFFERED,
                from_state=locked.state,
                actor=actor,
                role=STAFF,
                quantities=transitions.line_quantities(locked),
                note=f"{what}, {settlement.surcharge} {exchange_order.currency} {note}".strip(),
                at=now,
            )
            _mail(
                exchange,
                kind="to_pay",
                number=locked.number,
                email=locked.email,
                language=locked.language,
                name=order.full_name,
            )
    return exchange


# --- WAR-4: a warranty claim resolved by an exchange ----------------------------------------------------------------


def exchange_for_claim(*, claim: WarrantyClaim, remedy: str, variant_id: int, actor=None, note: str = "") -> Exchange:
    """WAR-4: the claimed unit is exchanged — for the same item (`exchange_same`: the claimed line's own variant,
    never a surcharge, never a refund) or a similar one (`exchange_similar`: the difference settled — refunded
    when cheaper, paid by the customer when dearer). Same or cheaper resolves the claim at once with
    `exchange_line` the new order line; dearer waits for the difference and resolves when it is paid. Refused
    (ExchangeRefused, nothing changed) on a closed claim, a live exchange, no stock or a unit already refunded."""
    remedy = Remedy(remedy)
    if remedy not in (Remedy.EXCHANGE_SAME, Remedy.EXCHANGE_SIMILAR):
        raise ValueError("not an exchange remedy")
    now = timezone.now()
    with transaction.atomic():
        order_locks.order_for_update(claim.order_id)
        locked = WarrantyClaim.objects.select_for_update().select_related("order", "order_line").get(pk=claim.pk)
        if not locked.is_open:
            raise ExchangeRefused(_("This claim is already closed."))
        if live_exchange(claim=locked) is not None:
            raise ExchangeRefused(_("This claim is already being exchanged."))
        line = locked.order_line
        _require_paid(locked.order)
        if remedy is Remedy.EXCHANGE_SAME and variant_id != line.variant_id:
            raise ExchangeRefused(_("An exchange for the same item hands out the claimed item's own SKU."))
        before = _refunded_units(locked.order).get(line.pk, 0)
        if before >= line.quantity:
            raise ExchangeRefused(_("Every unit of this item has been refunded already."))
        variant = _locked_variant(variant_id)
        credit = policy.refund_for_units(line.paid_total, line.quantity, before, 1)
        same_item = variant.pk == line.variant_id
        worth = credit if same_item else policy.replacement_price(variant.current_price, 1)
        settlement = policy.exchange_settlement(credit=credit, replacement=worth, surcharge_allowed=not same_item)
        exchange_order, new_line = _place(
            source=locked.order, variant=variant, quantity=1, settlement=settlement, actor=actor, now=now
        )
        refund = None
        if settlement.refund > 0:
            refund = services.refund_for_exchange(
                order=locked.order,
                reason=Refund.Reason.WARRANTY,
                lines=[(line, 1, settlement.refund)],
                actor=actor,
                now=now,
            )
        done = settlement.surcharge == 0
        exchange = _record(
            settlement,
            done=done,
            refund=refund,
            actor=actor,
            now=now,
            claim=locked,
            source_order=locked.order,
            order=exchange_order,
            line=new_line,
            quantity=1,
            same_item=same_item,
        )
        remedy_given = Remedy.EXCHANGE_SAME if same_item else Remedy.EXCHANGE_SIMILAR
        if done:
            claim_services.resolve(
                claim=locked,
                actor=actor,
                remedy=remedy_given.value,
                note=_exchanged_note(exchange, locked.language, note),
                amount=settlement.refund or None,
                exchange_line=new_line,
                refund=refund,
            )
        else:
            claim_events.note(
                claim=locked,
                actor=actor,
                message=f"{exchange_order.number}: {new_line.product_name}, "
                f"{settlement.surcharge} {exchange_order.currency} {note}".strip(),
            )
            _mail(
                exchange,
                kind="to_pay",
                number=locked.number,
                email=locked.contact_email,
                language=locked.language,
                name=locked.contact_name,
            )
    return exchange


# --- The exchange order paid or cancelled (orders' signals) --------------------------------------------------------


def complete_paid_exchange(*, order) -> Exchange | None:
    """The difference was paid: the waiting exchange of this exchange order completes — the request becomes
    "exchanged" (mailed), the claim is resolved by the exchange with its new line. Idempotent (a replayed signal
    finds it done)."""
    with transaction.atomic():
        pending = Exchange.objects.filter(order_id=order.pk, status=Exchange.Status.AWAITING_PAYMENT).first()
        if pending is None:
            return None
        order_locks.order_for_update(pending.source_order_id)
        request = ReturnRequest.objects.select_for_update().filter(pk=pending.request_id).first()
        exchange = Exchange.objects.select_for_update().select_related("line", "order").get(pk=pending.pk)
        if exchange.status != Exchange.Status.AWAITING_PAYMENT:
            return exchange
        now = timezone.now()
        exchange.status, exchange.completed_at = Exchange.Status.DONE, now
        exchange.save(update_fields=["status", "completed_at"])
        what = f"{exchange.order.number}: {exchange.line.product_name} × {exchange.quantity}"
        if request is not None:
            transitions.apply_action(request, policy.EXCHANGE, note=f"{what}, {exchange.surcharge} paid", now=now)
            returned_goods.return_withdrawn(key=services.loyalty_key(request))
        else:
            claim_services.resolve(
                claim=exchange.claim,
                actor=None,
                remedy=Remedy.EXCHANGE_SIMILAR.value,
                note=_exchanged_note(exchange, exchange.claim.language),
                amount=exchange.surcharge,
                exchange_line=exchange.line,
            )
    return exchange


def drop_unpaid_exchange(*, order) -> Exchange | None:
    """The exchange order was cancelled before its difference was paid (the PAY-4 sweep, or support): the exchange
    is dropped and the request or claim is open for another decision; its stock went back with the order."""
    with transaction.atomic():
        pending = Exchange.objects.filter(order_id=order.pk, status=Exchange.Status.AWAITING_PAYMENT).first()
        if pending is None:
            return None
        order_locks.order_for_update(pending.source_order_id)
        request = ReturnRequest.objects.select_for_update().filter(pk=pending.request_id).first()
        exchange = Exchange.objects.select_for_update().get(pk=pending.pk)
        if exchange.status != Exchange.Status.AWAITING_PAYMENT:
            return exchange
        exchange.status = Exchange.Status.CANCELLED
        exchange.save(update_fields=["status"])
        if request is not None:
            transitions.record_event(
                request, action=EXCHANGE_DROPPED, from_state=request.state, note=str(exchange.order.number)
            )
        else:
            claim_events.note(claim=exchange.claim, message=f"{exchange.order.number}: {EXCHANGE_DROPPED}")
    return exchange


def _record(settlement, *, done: bool, refund, actor, now, **where) -> Exchange:
    """The exchange row of a return request or a warranty claim (`where`: which one, the orders, line and units)."""
    return Exchange.objects.create(
        **where,
        credit=settlement.credit,
        replacement_amount=settlement.replacement,
        surcharge=settlement.surcharge,
        refund=refund,
        status=Exchange.Status.DONE if done else Exchange.Status.AWAITING_PAYMENT,
        created_by=actor,
        created_at=now,
        completed_at=now if done else None,
    )
