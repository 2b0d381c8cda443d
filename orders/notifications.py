"""ORD-7 customer mails: received, confirmed, paid, shipped, delivered, cancelled — sent by a Celery worker after
commit, in the language the customer ordered in, with the order's secret link (guests have no cabinet)."""

from django.conf import settings

from config.mail import queue_email

from .carriers import get_carrier

KINDS = ("received", "confirmed", "paid", "shipped", "delivered", "cancelled")


def order_link(order) -> str:
    return f"{settings.SHOP_BASE_URL}{order.get_absolute_url()}"


def notify(order, kind: str, *, reason: str = "") -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    queue_email(
        template=f"mail/orders/{kind}",
        to=order.email,
        context={
            "number": order.number,
            "name": order.full_name,
            "total": str(order.total),
            "delivery_cost": str(order.delivery_cost),
            "discount_total": str(order.discount_total),
            "goods_total": str(order.goods_total),
            "currency": order.currency,
            "delivery_to": order.delivery_address_text,
            "delivery_method": order.get_delivery_method_display(),
            "eta_from": order.eta_from.isoformat(),
            "eta_to": order.eta_to.isoformat(),
            "payment_method": order.payment_method,
            "tracking_number": order.tracking_number,
            "tracking_url": get_carrier().tracking_url(order.tracking_number),
            "link": order_link(order),
            "reason": reason,
            "lines": [
                {"name": line.product_name, "quantity": line.quantity, "total": str(line.line_total)}
                for line in order.lines.all()
            ],
        },
        language=order.language,
    )
