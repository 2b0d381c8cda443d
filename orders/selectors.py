"""Read queries about orders: the customer's order pages and cabinet list, the CAT-4 review hook, the cart."""

from django.db.models import Prefetch


def has_received_product(*, user, product) -> bool:
    """True when `user` has an order containing `product` that was delivered to them (CAT-4: only customers
    who bought and received a product may review it): an order that is delivered or completed, with a line for
    any variant of `product`. One query; none for an anonymous visitor."""
    from .models import OrderLine, OrderStatus

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return OrderLine.objects.filter(
        order__user=user,
        order__status__in=(OrderStatus.DELIVERED, OrderStatus.COMPLETED),
        variant__product=product,
    ).exists()


# --- The customer's orders (ORD-5..7, ACC-3) --------------------------------------------------------------------

HISTORY_KINDS = ("placed", "status")  # what the customer sees of the event log: statuses and when, never who


def order_by_token(token: str):
    """The order behind a secret link, with what its page shows (lines, status history), or None.

    The token is the only key: anyone holding the link sees the order (a bearer secret, like the links in our
    mails), so it is 43 random URL-safe characters (`secrets.token_urlsafe(32)`) and never guessable."""
    from .models import Order, OrderEvent

    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    history = OrderEvent.objects.filter(kind__in=HISTORY_KINDS).only("order_id", "kind", "to_status", "at")
    return (
        Order.objects.filter(access_token=token)
        .select_related("city", "pickup_point")
        .prefetch_related("lines", Prefetch("events", queryset=history, to_attr="history"))
        .first()
    )


def order_by_number_and_email(*, number: str, email: str):
    """The order with this number placed with this e-mail (case-insensitive), or None. Both must match: a number
    alone reveals nothing."""
    from .models import Order

    number, email = (number or "").strip(), (email or "").strip()
    if not number or not email:
        return None
    return Order.objects.filter(number=number, email__iexact=email).only("pk", "access_token").first()


LIST_COLUMNS = ("number", "access_token", "status", "placed_at", "total", "currency", "tracking_number", "carrier")


def orders_of(user):
    """The signed-in customer's own orders (never a guest order with the same e-mail: ACC-2), newest first;
    only the columns the cabinet list shows, so the page costs the same queries for 1 or 1000 orders."""
    from .models import Order

    return Order.objects.filter(user=user).only(*LIST_COLUMNS).order_by("-placed_at", "-id")


TRACKED_STATUSES = ("shipped", "delivered", "completed")


def with_tracking_links(orders) -> list:
    """The orders as a list, each with `tracking_url` (the carrier's page, once shipped; else "")."""
    from .carriers import get_carrier

    carrier = get_carrier()
    orders = list(orders)
    for order in orders:
        tracked = order.status in TRACKED_STATUSES and order.tracking_number
        order.tracking_url = carrier.tracking_url(order.tracking_number) if tracked else ""
    return orders


def orders_export_of(user) -> list[dict]:
    """The customer's orders for the "my data" export (ACC-3): two queries whatever their number."""
    from .models import Order

    orders = Order.objects.filter(user=user).prefetch_related("lines").order_by("placed_at", "id")
    return [
        {
            "number": order.number,
            "placed_at": order.placed_at,
            "status": order.status,
            "full_name": order.full_name,
            "email": order.email,
            "phone": order.phone,
            "language": order.language,
            "delivery_method": order.delivery_method,
            "delivery_address_text": order.delivery_address_text,
            "comment": order.comment,
            "currency": order.currency,
            "goods_total": order.goods_total,
            "discount_total": order.discount_total,
            "coupon_code": order.coupon_code,
            "delivery_cost": order.delivery_cost,
            "total": order.total,
            "payment_method": order.payment_method,
            "paid_amount": order.paid_amount,
            "tracking_number": order.tracking_number,
            "placed_ip": order.placed_ip,
            "cancellation_requested_at": order.cancellation_requested_at,
            "cancellation_reason": order.cancellation_reason,
            "lines": [
                {
                    "product": line.product_name,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "line_total": line.line_total,
                    "discount_share": line.discount_share,
                    "paid_total": line.paid_total,
                }
                for line in order.lines.all()
            ],
        }
        for order in orders
    ]


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


# --- Reference data read on every checkout ------------------------------------------------------------------------

_cities_by_version: dict[int, list] = {}


def active_cities() -> list:
    """The cities offered at checkout, by position. Kept in this process for the current catalogue version (a saved
    city starts a new one: orders/signals.py), so checkout pages and "Confirm order" don't read them every time;
    placing the order still checks the chosen city in the database."""
    from shop.page_cache import catalogue_version

    from .models import City

    version = catalogue_version()
    cities = _cities_by_version.get(version)
    if cities is None:
        cities = list(City.objects.filter(is_active=True).order_by("position", "name"))
        _cities_by_version.clear()
        _cities_by_version[version] = cities
    return cities
