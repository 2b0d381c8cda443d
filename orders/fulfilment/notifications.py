"""ORD-7 customer mails: received, confirmed, paid, shipped, delivered, cancelled — sent by a Celery worker after
commit, in the language the customer ordered in, with the order's secret link (guests have no cabinet)."""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from base.mail import queue_email
from base.money import to_tiyn

from ..delivery.carriers import get_carrier
from ..models import DeliveryMethodChoice, OrderStatus
from ..payment_methods import get_adapter

KINDS = ("received", "confirmed", "paid", "shipped", "delivered", "cancelled")


def order_link(order) -> str:
    """The absolute secret link, in the order's language (the URL prefix decides the page's language)."""
    with translation.override(order.language):
        return f"{settings.SHOP_BASE_URL}{order.get_absolute_url()}"


def _amount(value) -> str:
    """Money as a JSON-safe string with exactly two places ("0.00", "12990.00"): templates compare and format it."""
    return str(to_tiyn(value))


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def notify(order, kind: str, *, reason: str = "", lines=None) -> None:
    """Queue the `kind` mail with a snapshot of the order now; `lines` saves a query when the caller holds them."""
    if kind not in KINDS:
        raise ValueError(kind)
    # Labels and dates are written here, in the order's language, because the context travels as JSON;
    # the templates' own text is translated by the worker (base.tasks.send_templated_email).
    with translation.override(order.language):
        adapter = get_adapter(order.payment_method)
        context = {
            "number": order.number,
            "name": order.full_name,
            "status": order.status,
            "status_label": str(OrderStatus(order.status).label),
            "total": _amount(order.total),
            "delivery_cost": _amount(order.delivery_cost),
            "discount_total": _amount(order.discount_total),
            "goods_total": _amount(order.goods_total),
            "paid_amount": _amount(order.paid_amount),
            "paid": order.paid_amount > 0,
            "coupon_code": order.coupon_code,
            "currency": order.currency,
            "delivery_to": order.delivery_address_text,
            "delivery_method": order.get_delivery_method_display(),
            "delivery_method_code": order.delivery_method,
            "manager_phone": settings.SHOP_LOGISTICS_MANAGER_PHONE
            if order.delivery_method == DeliveryMethodChoice.LOGISTICS
            else "",
            "eta_from": order.eta_from.isoformat(),
            "eta_to": order.eta_to.isoformat(),
            "eta_from_text": _date(order.eta_from),
            "eta_to_text": _date(order.eta_to),
            "payment_method": order.payment_method,
            "payment_label": str(adapter.label) if adapter else order.payment_method,
            "pays_on_delivery": bool(adapter and adapter.pays_on_delivery),
            "tracking_number": order.tracking_number,
            "tracking_url": get_carrier().tracking_url(order.tracking_number),
            "link": order_link(order),
            "reason": reason,
            "withdrawal_days": settings.SHOP_WITHDRAWAL_DAYS,
            "shop_name": settings.SHOP_NAME,
            "shop_url": f"{settings.SHOP_BASE_URL}{reverse('shop:home')}",
            "contact_url": f"{settings.SHOP_BASE_URL}{reverse('support:contact')}",
            "lines": [
                {
                    "name": line.product_name,
                    "quantity": line.quantity,
                    "unit_price": _amount(line.unit_price),
                    "discount_share": _amount(line.discount_share),
                    "total": _amount(line.line_total),
                }
                for line in (order.lines.all() if lines is None else lines)
            ],
        }
    queue_email(template=f"mail/orders/{kind}", to=order.email, context=context, language=order.language)
