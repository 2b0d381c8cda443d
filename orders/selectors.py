"""Read queries about orders used by other apps: the orders issue fills them in as its tables appear."""


def has_received_product(*, user, product) -> bool:
    """True when `user` has an order containing `product` that was delivered to them (CAT-4: only customers
    who bought and received a product may review it).

    This is the hook the orders issue completes: once orders exist it must return True exactly when the user
    has an order in a delivered (or later, e.g. completed) state with a line for any variant of `product`.
    Until then nobody has received anything, so it returns False; the review rules are tested by replacing
    this function in fixtures (tests/integration/test_reviews.py)."""
    return False


# --- The cart (ORD-1) -------------------------------------------------------------------------------------------

GUEST_CART_SESSION_KEY = "guest_cart_id"  # survives the session key's change at sign-in, so the cart can merge


def get_cart_for(request, *, create: bool = False):
    """The visitor's cart: the signed-in customer's stored cart, or the guest's cart of this session. With
    `create`, a missing cart (and for a guest, the session itself) is created; otherwise None."""
    from .models import Cart

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if create:
            return Cart.objects.get_or_create(user=user)[0]
        return Cart.objects.filter(user=user).first()
    session = request.session
    if not session.session_key:
        if not create:
            return None
        session.save()  # a guest gets a session only when they first put something in the cart
    if create:
        cart = Cart.objects.get_or_create(session_key=session.session_key, user=None)[0]
        session[GUEST_CART_SESSION_KEY] = cart.pk
        return cart
    return Cart.objects.filter(session_key=session.session_key, user=None).first()


def cart_lines(cart) -> list:
    """The cart's lines with variant, product and the product's first thumbnail (`thumb`), in one query."""
    from django.db.models import OuterRef, Subquery

    from shop.models import ProductImage

    from .models import CartLine

    if cart is None:
        return []
    first_image = ProductImage.objects.filter(product=OuterRef("variant__product")).order_by("position", "id")
    return list(
        CartLine.objects.filter(cart=cart)
        .select_related("variant__product")
        .annotate(thumb=Subquery(first_image.values("thumbnail")[:1]))
        .order_by("added_at", "id")
    )


def cart_quantity(request) -> int:
    """Sum of the quantities in the visitor's cart: one query, none for a guest without a session."""
    from django.db.models import Sum

    from .models import CartLine

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        lines = CartLine.objects.filter(cart__user=user)
    else:
        session = getattr(request, "session", None)
        if session is None or not session.session_key:
            return 0
        lines = CartLine.objects.filter(cart__session_key=session.session_key, cart__user=None)
    return lines.aggregate(total=Sum("quantity"))["total"] or 0
