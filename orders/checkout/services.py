"""Placing the order (ORD-2..4, CPN-1..2, DLV-1..4): the cart becomes an order in one transaction.

`checkout.pricing` prices what the checkout page shows; `place_order` recomputes everything from the database under row
locks, so nothing the browser sends (prices, totals) is ever trusted, and either the whole order is saved with
its stock reserved or nothing is."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from base.money import format_amount_in_sentence
from base.workdays import shop_tz

from .. import events, locks, signals
from ..delivery.selectors import active_cities, delivery_options, estimate
from ..discount_sources import get_source, unavailable_message
from ..fulfilment.notifications import notify
from ..fulfilment.services import confirm_order
from ..models import (
    CartLine,
    City,
    DeliveryMethodChoice,
    DiscountKind,
    Order,
    OrderLine,
    OrderStatus,
    PickupPoint,
)
from ..payment_methods import available_methods, get_adapter
from ..stock import services as stock
from .discounts import one_discount_message
from .pricing import price_lines


class CheckoutError(Exception):
    """Something that stops the order; `message` is for the shopper, `field` the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- Placing the order (ORD-2..4) -----------------------------------------------------------------------------------


@dataclass
class CheckoutData:
    full_name: str
    email: str
    phone: str
    delivery_method: str
    city_id: int
    payment_method: str
    address: str = ""
    pickup_point_id: int | None = None
    coupon_code: str = ""
    discount_kind: str = ""  # a registered source's kind (CPN-2); "" with a coupon code means the coupon
    discount_details: dict = field(default_factory=dict)  # the rest of the slot, for sources other than the coupon
    comment: str = ""
    terms_accepted: bool = False
    terms_version: str = ""
    expected_total: Decimal | None = None  # what the shopper saw; a different total stops the order
    language: str = "ru"
    ip: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def discount_slot(self) -> dict | None:
        """The order's one discount (CPN-2) as the checkout's slot holds it, None without one."""
        kind = self.discount_kind or (DiscountKind.COUPON if self.coupon_code else DiscountKind.NONE)
        if not kind:
            return None
        slot = {**self.discount_details, "kind": str(kind)}
        if kind == DiscountKind.COUPON:
            slot["code"] = self.coupon_code
        return slot


def _non_returnable_reason(product) -> str:
    """RET-2 (issue 11): the reason code frozen with the returnable flag — the product's own, else its category's."""
    if product.is_returnable:
        return ""
    return product.non_returnable_reason or product.category.non_returnable_reason


def _new_number() -> str:
    return f"{secrets.randbelow(90_000_000) + 10_000_000}"


_NUMBER_ATTEMPTS = 8


def _locked_lines(cart, *, city_id) -> tuple[list[CartLine], bool]:
    """(the cart's lines with their variants locked, whether the chosen city is active in the database): the city's
    check rides on the variants' query, saving a round trip. Two queries, not one join, so that the variants are
    always found by primary key whatever the planner's statistics say."""
    lines = list(CartLine.objects.filter(cart_id=cart.pk).order_by("added_at", "id"))
    if not lines:
        return [], False
    active_city = City.objects.filter(pk=city_id, is_active=True)
    variants = {
        variant.pk: variant
        for variant in locks.variants_with_products_for_update(line.variant_id for line in lines).annotate(
            city_active=Exists(active_city)
        )
    }
    for line in lines:
        line.variant = variants[line.variant_id]
    return lines, lines[0].variant.city_active


def _active_city(city_id) -> City | None:
    """The city as this process keeps it for the current catalogue version (`delivery.selectors.active_cities`), else (a
    city activated a moment ago) from the database."""
    cached = next((city for city in active_cities() if city.pk == city_id), None)
    return cached or City.objects.filter(pk=city_id, is_active=True).first()


def place_order(*, cart, data: CheckoutData, user=None, now: datetime | None = None) -> Order:
    """ORD-2..4: turn the cart into an order — stock reserved under row locks, prices, discount shares and
    delivery cost frozen, the cart emptied, the "received" mail queued. Raises CheckoutError (nothing saved).

    The order's number and secret-link token are drawn at random; the rare draw that is already taken fails the
    INSERT, which rolls the whole transaction back (with its queued mail), and the order is placed again with a new
    draw — cheaper on every order than a savepoint around the INSERT."""
    for _attempt in range(_NUMBER_ATTEMPTS):
        number, token = _new_number(), secrets.token_urlsafe(32)
        try:
            return _place_order(cart=cart, data=data, user=user, now=now, number=number, access_token=token)
        except IntegrityError:
            if not Order.objects.filter(Q(number=number) | Q(access_token=token)).exists():
                raise
    raise RuntimeError("could not draw a free order number")


@transaction.atomic
def _place_order(*, cart, data: CheckoutData, user, now: datetime | None, number: str, access_token: str) -> Order:
    now = now or timezone.now()
    if not data.terms_accepted:
        raise CheckoutError(_("Please accept the terms of sale to place the order."), "terms")
    # A double-clicked "Confirm" waits here, then finds the cart empty.
    lines, city_active = _locked_lines(cart, city_id=data.city_id) if locks.lock_cart(cart.pk) else ([], False)
    if not lines:
        raise CheckoutError(_("Your cart is empty."))
    shortage = stock.shortage_message(lines)
    if shortage:
        raise CheckoutError(shortage)

    # Delivery (DLV-1..3): the city must be active in the database now (checked with the variants)
    city = _active_city(data.city_id) if city_active else None
    if city is None:
        raise CheckoutError(_("Choose a city from the list."), "city")
    if data.delivery_method not in settings.SHOP_DELIVERY_METHODS:
        raise CheckoutError(_("Choose a delivery method from the list."), "delivery_method")
    (option,) = delivery_options(city_id=city.pk, lines=lines, now=now, methods=[data.delivery_method])
    if not option.available:
        raise CheckoutError(option.reason, "delivery_method")
    pickup_point = None
    if data.delivery_method == DeliveryMethodChoice.PICKUP:
        pickup_point = PickupPoint.objects.filter(pk=data.pickup_point_id, city=city, is_active=True).first()
        if pickup_point is None:
            raise CheckoutError(_("Choose a pickup point in %(city)s.") % {"city": city.name}, "pickup_point")
        delivery_to = f"{city.name}, {pickup_point.name}, {pickup_point.address}"
        address = ""
    else:
        address = " ".join(data.address.split())
        if len(address) < 5:
            raise CheckoutError(_("Enter the delivery address: street, house, flat."), "address")
        delivery_to = f"{city.name}, {address}"

    # The one discount (CPN-2): its source offers it again from rows it locks now, and commits it below
    slot = data.discount_slot
    source = get_source(slot["kind"]) if slot else None
    if slot and source is None:
        raise CheckoutError(unavailable_message(), "discount_kind")
    if slot and data.coupon_code and slot["kind"] != DiscountKind.COUPON:
        raise CheckoutError(one_discount_message(), "coupon_code")
    customer = user if user is not None and user.is_authenticated else None
    priced = price_lines(lines, slot=slot, customer=customer, email=data.email, now=now, locked=True)
    if priced.discount_error:
        raise CheckoutError(priced.discount_error, source.field)
    applied = priced.applied

    total = priced.after_discount + option.cost
    if data.expected_total is not None and data.expected_total != total:
        raise CheckoutError(
            _(
                "Prices or delivery cost changed while you were checking out: the total is now %(total)s ₸. "
                "Please check the order and confirm again."
            )
            % {"total": format_amount_in_sentence(total, places=2)}
        )

    # Payment (PAY-1): only the methods the registry offers for this amount and delivery method
    adapter = get_adapter(data.payment_method)
    if adapter is None or adapter not in available_methods(amount=total, delivery_method=data.delivery_method):
        raise CheckoutError(_("This payment method is not available for this order."), "payment_method")

    processing_from, eta_from, eta_to = estimate(now)
    if data.delivery_method == DeliveryMethodChoice.EXPRESS:
        eta_from = eta_to = now.astimezone(shop_tz()).date()
    order = Order(
        number=number,
        access_token=access_token,
        user=customer,
        status=OrderStatus.PLACED,
        full_name=data.full_name.strip(),
        email=data.email.strip().lower(),
        phone=data.phone,
        language=data.language,
        delivery_method=data.delivery_method,
        city=city,
        address=address,
        pickup_point=pickup_point,
        delivery_address_text=delivery_to[:400],
        delivery_cost=option.cost,
        eta_from=eta_from,
        eta_to=eta_to,
        carrier="",  # named when shipped
        comment=data.comment.strip()[:500],
        currency=settings.SHOP_CURRENCY,
        goods_total=priced.goods_total,
        discount_kind=source.kind if applied else DiscountKind.NONE,
        discount_total=priced.discount_total,
        **(source.order_fields(applied) if applied else {}),
        total=total,
        payment_method=adapter.code,
        terms_version=data.terms_version,
        placed_ip=data.ip,
        placed_at=now,
        processing_from=processing_from,
    )
    order.save(force_insert=True)  # a number already taken raises IntegrityError: see place_order
    order_lines = OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                variant=line.variant,
                product_name=str(line.variant)[:320],
                sku=line.variant.sku,
                quantity=line.quantity,
                regular_price=line.variant.price,
                unit_price=line.variant.current_price,
                line_total=amount,
                discount_share=share,
                paid_total=amount - share,
                on_sale=line.variant.sale_price is not None,
                returnable=line.variant.product.is_returnable,
                non_returnable_reason=_non_returnable_reason(line.variant.product),
                non_returnable_note=(
                    "" if line.variant.product.is_returnable else line.variant.product.non_returnable_note
                ),
                bonus_earning=line.variant.product.is_bonus_earning,
                bonus_payable=line.variant.product.is_bonus_payable,
                is_service=line.variant.product.is_service,
                warranty_months=line.variant.product.effective_warranty_months or 0,
                vat_rate=line.variant.product.vat_rate,
            )
            for line, amount, share in zip(lines, priced.amounts, priced.shares, strict=True)
        ]
    )
    stock.take_stock(lines)
    stock.after_stock_change((line.variant.stock, line.variant.stock - line.quantity) for line in lines)
    if applied:
        source.commit(order=order, offer=applied, lines=order_lines)
    CartLine.objects.filter(cart=cart).delete()
    events.order_placed(order=order, actor=order.user)
    signals.send_after_commit(signals.order_placed, order=order, actor=order.user)
    notify(order, "received", lines=order_lines)
    if settings.SHOP_AUTO_CONFIRM_ORDERS:
        confirm_order(order=order, actor=None)
    return order


# --- The replacement of an exchange (RET-8, WAR-4) -------------------------------------------------------------------


@dataclass(frozen=True)
class ReplacementLine:
    """One SKU handed out by an exchange, shaped like a cart line for `stock.shortage_message` / `take_stock`."""

    variant: object
    quantity: int

    @property
    def variant_id(self) -> int:
        return self.variant.pk


def place_exchange_order(
    *, source: Order, variant_id: int, quantity: int, covered: Decimal, pay_by: datetime, actor=None, now=None
) -> tuple[Order, OrderLine]:
    """RET-8/WAR-4: the order that hands the replacement of an exchange to the customer, placed by the returns app
    inside its own transaction (it holds the source order's lock; the variant is locked here, after it, like a
    cancellation does). The replacement is priced now (`current_price`, ORD-3 frozen on the line), its stock taken
    under the variant's row lock (ORD-4, the checkout's own `take_stock`); no stock → CheckoutError and nothing is
    saved. What the returned goods paid covers `covered` of it as an "exchange credit" discount, so the order's
    total is only the difference the customer still pays: online through the normal payment step of the order's
    secret page until `pay_by` (PAY-4 does not cancel it before), or to the courier for cash on delivery.
    Contacts, delivery address and payment method are the source order's; the shop delivers the replacement at its
    own cost. Nothing to pay → confirmed at once (and on to "paid" for an online method); something to pay →
    placed, awaiting the payment like any order."""
    now = now or timezone.now()
    if quantity < 1:
        raise CheckoutError(_("Give at least one unit."))
    for _attempt in range(_NUMBER_ATTEMPTS):
        number, token = _new_number(), secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                return _place_exchange_order(
                    source=source,
                    variant_id=variant_id,
                    quantity=quantity,
                    covered=covered,
                    pay_by=pay_by,
                    actor=actor,
                    now=now,
                    number=number,
                    access_token=token,
                )
        except IntegrityError:
            if not Order.objects.filter(Q(number=number) | Q(access_token=token)).exists():
                raise
    raise RuntimeError("could not draw a free order number")


def _pays_online(code: str) -> bool:
    adapter = get_adapter(code)
    return bool(adapter and adapter.online)


def _place_exchange_order(*, source, variant_id, quantity, covered, pay_by, actor, now, number, access_token):
    variant = next(iter(locks.variants_with_products_for_update([variant_id])), None)
    if variant is None:
        raise CheckoutError(_("This product is not in the catalogue."))
    line = ReplacementLine(variant=variant, quantity=quantity)
    shortage = stock.shortage_message([line])
    if shortage:
        raise CheckoutError(shortage)
    unit_price = variant.current_price
    goods = unit_price * quantity
    covered = min(covered, goods)
    processing_from, eta_from, eta_to = estimate(now)
    order = Order(
        number=number,
        access_token=access_token,
        user=source.user,
        status=OrderStatus.PLACED,
        full_name=source.full_name,
        email=source.email,
        phone=source.phone,
        language=source.language,
        delivery_method=source.delivery_method,
        city=source.city,
        address=source.address,
        pickup_point=source.pickup_point,
        delivery_address_text=source.delivery_address_text,
        delivery_cost=0,
        eta_from=eta_from,
        eta_to=eta_to,
        comment=_("Exchange for order %(number)s") % {"number": source.number},
        currency=source.currency,
        goods_total=goods,
        discount_kind=DiscountKind.EXCHANGE if covered else DiscountKind.NONE,
        discount_total=covered,
        total=goods - covered,
        payment_method=source.payment_method,
        pay_by=pay_by if goods > covered and _pays_online(source.payment_method) else None,
        placed_at=now,
        processing_from=processing_from,
    )
    order.save(force_insert=True)
    product = variant.product
    order_line = OrderLine.objects.create(
        order=order,
        variant=variant,
        product_name=str(variant)[:320],
        sku=variant.sku,
        quantity=quantity,
        regular_price=variant.price,
        unit_price=unit_price,
        line_total=goods,
        discount_share=covered,
        paid_total=goods - covered,
        on_sale=variant.sale_price is not None,
        returnable=product.is_returnable,
        non_returnable_reason=_non_returnable_reason(product),
        non_returnable_note="" if product.is_returnable else product.non_returnable_note,
        bonus_earning=product.is_bonus_earning,
        bonus_payable=product.is_bonus_payable,
        is_service=product.is_service,
        warranty_months=product.effective_warranty_months or 0,
        vat_rate=product.vat_rate,
    )
    stock.take_stock([line])
    stock.after_stock_change([(variant.stock, variant.stock - quantity)])
    events.order_placed(order=order, actor=actor, role=events.STAFF if actor is not None else events.SYSTEM)
    signals.send_after_commit(signals.order_placed, order=order, actor=actor)
    if order.total == 0:
        confirm_order(order=order, actor=actor)
    return order, order_line
