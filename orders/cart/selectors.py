"""Reading the cart (ORD-1): the visitor's cart, its lines with thumbnails, the header's count. Nothing here writes."""

from django.db.models import OuterRef, Subquery, Sum

from shop.models import ProductImage

from ..models import Cart, CartLine

GUEST_CART_SESSION_KEY = "guest_cart_id"  # survives the session key's change at sign-in, so the cart can merge


def find_cart(request) -> Cart | None:
    """The visitor's cart: the signed-in customer's stored cart, or the guest's cart of this session; None when
    there is none (`cart.services.cart_for` creates one)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Cart.objects.filter(user=user).first()
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return None
    return Cart.objects.filter(session_key=session.session_key, user=None).first()


def cart_lines(cart) -> list:
    """The cart's lines with variant, product and the product's first thumbnail (`thumb`), in one query."""
    if cart is None:
        return []
    first_image = ProductImage.objects.filter(product=OuterRef("variant__product")).order_by("position", "id")
    return list(
        CartLine.objects.filter(cart=cart)
        .select_related("variant__product")
        .annotate(
            thumb=Subquery(first_image.values("thumbnail")[:1]),
            thumb_renditions=Subquery(first_image.values("renditions")[:1]),
        )
        .order_by("added_at", "id")
    )


def cart_quantity(request) -> int:
    """Sum of the quantities in the visitor's cart: one query, none for a guest without a session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        lines = CartLine.objects.filter(cart__user=user)
    else:
        session = getattr(request, "session", None)
        if session is None or not session.session_key:
            return 0
        lines = CartLine.objects.filter(cart__session_key=session.session_key, cart__user=None)
    return lines.aggregate(total=Sum("quantity"))["total"] or 0
