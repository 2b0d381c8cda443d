"""Read queries about orders: the customer's order pages and cabinet list, the "my data" export, the CAT-4 review
hook."""

from django.db.models import Prefetch

from base.request_text import clean_text

from .delivery.carriers import get_carrier
from .models import Order, OrderEvent, OrderLine, OrderStatus


def has_received_product(*, user, product) -> bool:
    """True when `user` has an order containing `product` that was delivered to them (CAT-4: only customers
    who bought and received a product may review it): an order that is delivered or completed, with a line for
    any variant of `product`. One query; none for an anonymous visitor."""
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
    token = (clean_text(token, max_length=64) or "").strip()  # NUL or invalid text: no order, not a 500
    if not token:
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
    number, email = (number or "").strip(), (email or "").strip()
    if not number or not email:
        return None
    return Order.objects.filter(number=number, email__iexact=email).only("pk", "access_token").first()


LIST_COLUMNS = ("number", "access_token", "status", "placed_at", "total", "currency", "tracking_number", "carrier")


def orders_of(user):
    """The signed-in customer's own orders (never a guest order with the same e-mail: ACC-2), newest first;
    only the columns the cabinet list shows, so the page costs the same queries for 1 or 1000 orders."""
    return Order.objects.filter(user=user).only(*LIST_COLUMNS).order_by("-placed_at", "-id")


TRACKED_STATUSES = ("shipped", "delivered", "completed")


def with_tracking_links(orders) -> list:
    """The orders as a list, each with `tracking_url` (the carrier's page, once shipped; else "")."""
    carrier = get_carrier()
    orders = list(orders)
    for order in orders:
        tracked = order.status in TRACKED_STATUSES and order.tracking_number
        order.tracking_url = carrier.tracking_url(order.tracking_number) if tracked else ""
    return orders


def orders_export_of(user) -> list[dict]:
    """The customer's orders for the "my data" export (ACC-3): two queries whatever their number."""
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
