"""Cart use cases (ORD-1): add, change, remove and merge on sign-in, each in one transaction.

Quantities never exceed the variant's stock at the moment of the change (nor MAX_LINE_QUANTITY); stock itself is
only reserved when an order is placed (ORD-4), so the cart re-checks it but never holds it."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from shop.models import Variant

from ..models import MAX_LINE_QUANTITY, Cart, CartLine
from .selectors import GUEST_CART_SESSION_KEY


class CartError(Exception):
    """A change the cart refuses; the view turns it into a message for the shopper."""


class VariantUnavailable(CartError):
    """Unknown variant, or its product or category is hidden from the shop."""


class OutOfStock(CartError):
    pass


@dataclass(frozen=True)
class CartChange:
    """What a change did: the line's quantity now and whether it was cut down to what is in stock."""

    line: CartLine | None
    quantity: int
    requested: int
    capped: bool


def cart_for(request) -> Cart:
    """The visitor's cart, created when missing (and for a guest, the session too: a guest gets a session only
    when they first put something in the cart)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Cart.objects.get_or_create(user=user)[0]
    session = request.session
    if not session.session_key:
        session.save()
    cart = Cart.objects.get_or_create(session_key=session.session_key, user=None)[0]
    session[GUEST_CART_SESSION_KEY] = cart.pk
    return cart


def allowed_quantity(*, requested: int, stock: int) -> int:
    """The most of `requested` a line may hold: never above the stock nor MAX_LINE_QUANTITY."""
    return max(0, min(requested, stock, MAX_LINE_QUANTITY))


def sellable_variants():
    return Variant.objects.filter(product__is_active=True, product__category__is_active=True)


def _locked_cart(cart: Cart) -> Cart:
    # Two tabs of one shopper may change the same cart at once: serialise them on the cart row.
    return Cart.objects.select_for_update().get(pk=cart.pk)


@transaction.atomic
def add_to_cart(*, cart: Cart, variant: Variant, quantity: int) -> CartChange:
    """Add `quantity` of `variant`, on top of what the cart holds, capped at the stock."""
    if quantity < 1:
        raise CartError("quantity must be positive")
    _locked_cart(cart)
    variant = sellable_variants().filter(pk=variant.pk).first()
    if variant is None:
        raise VariantUnavailable
    if variant.stock < 1:
        raise OutOfStock
    line = CartLine.objects.filter(cart=cart, variant=variant).first()
    requested = (line.quantity if line else 0) + quantity
    new_quantity = allowed_quantity(requested=requested, stock=variant.stock)
    if line is None:
        line = CartLine(cart=cart, variant=variant, quantity=new_quantity)
    line.quantity = new_quantity
    line.full_clean(validate_unique=False)
    line.save()
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return CartChange(line=line, quantity=new_quantity, requested=requested, capped=new_quantity < requested)


@transaction.atomic
def set_quantity(*, line: CartLine, quantity: int) -> CartChange:
    """Set a line to `quantity` (capped at the stock); a variant sold out since is refused."""
    if quantity < 1:
        raise CartError("quantity must be positive")
    _locked_cart(line.cart)
    variant = Variant.objects.get(pk=line.variant_id)
    if variant.stock < 1:
        raise OutOfStock
    new_quantity = allowed_quantity(requested=quantity, stock=variant.stock)
    line.quantity = new_quantity
    line.save(update_fields=["quantity"])
    Cart.objects.filter(pk=line.cart_id).update(updated_at=timezone.now())
    return CartChange(line=line, quantity=new_quantity, requested=quantity, capped=new_quantity < quantity)


@transaction.atomic
def remove_line(*, line: CartLine) -> None:
    _locked_cart(line.cart)
    CartLine.objects.filter(pk=line.pk).delete()
    Cart.objects.filter(pk=line.cart_id).update(updated_at=timezone.now())


@transaction.atomic
def merge_carts(*, from_cart: Cart, into_cart: Cart) -> Cart:
    """Move a guest's lines into the customer's stored cart on sign-in: quantities of the same variant add up,
    capped at the stock; sold-out variants are dropped; the guest cart is deleted."""
    if from_cart.pk == into_cart.pk:
        return into_cart
    carts = {c.pk: c for c in Cart.objects.select_for_update().filter(pk__in=[from_cart.pk, into_cart.pk])}
    if from_cart.pk not in carts:
        return into_cart
    existing = {line.variant_id: line for line in CartLine.objects.filter(cart=into_cart)}
    for line in CartLine.objects.filter(cart=from_cart).select_related("variant"):
        target = existing.get(line.variant_id)
        requested = line.quantity + (target.quantity if target else 0)
        quantity = allowed_quantity(requested=requested, stock=line.variant.stock)
        if target is not None:
            if quantity:
                target.quantity = quantity
                target.save(update_fields=["quantity"])
        elif quantity:
            CartLine.objects.create(cart=into_cart, variant=line.variant, quantity=quantity)
    from_cart.delete()
    Cart.objects.filter(pk=into_cart.pk).update(updated_at=timezone.now())
    return into_cart


def merge_guest_cart(*, request, user) -> None:
    """At sign-in (ORD-1): the guest cart this session kept moves into the customer's stored cart."""
    if request is None or not hasattr(request, "session"):
        return
    # login() has already given the session a new key, so the guest cart is found by the id the session kept.
    cart_id = request.session.pop(GUEST_CART_SESSION_KEY, None)
    if cart_id is None:
        return
    guest_cart = Cart.objects.filter(pk=cart_id, user=None).first()
    if guest_cart is None:
        return
    user_cart = Cart.objects.get_or_create(user=user)[0]
    merge_carts(from_cart=guest_cart, into_cart=user_cart)
    if hasattr(request, "_cart_count"):
        del request._cart_count
