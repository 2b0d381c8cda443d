"""The returns app's documents as PDF (WAR-7, LEG-3): one place that renders a template under templates/documents/
to A4 PDF bytes with WeasyPrint, in a given language, with the seller's legal details. Which data goes into a
document is decided by its caller (pretix style: the logic apart from the rendering); every returns document —
complaint form, act of satisfaction, refund receipt, withdrawal form — is rendered here.

Fonts: the stylesheet asks for DejaVu Sans (Debian's fonts-dejavu-core, installed by .ci/run), which has every
Kazakh letter (ә ғ қ ң ө ұ ү һ і); fontconfig falls back to another installed font only for what it lacks."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from base.workdays import shop_tz
from shop.selectors import seller_details

PDF = "application/pdf"
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its INFO lines log every CSS step of every document


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    """`documents/<template>.html` rendered in `language` to PDF bytes (A4, from the template's own @page rule).
    The context gets `seller` (LEG-3 details in that language), `shop_name` and `issued_on` (shop-local today)."""
    with translation.override(language):
        html = render_to_string(
            f"documents/{template}.html",
            {
                "seller": seller_details(language),
                "shop_name": settings.SHOP_NAME,
                "issued_on": timezone.localtime(timezone.now(), shop_tz()).date(),
                "language": language,
                **context,
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def refund_receipt_context(refund) -> dict:
    """The refund receipt (REF) for any Refund: its number, order, lines and breakdown."""
    return {"refund": refund, "order": refund.order, "lines": list(refund.lines.select_related("order_line"))}


def refund_receipt_pdf(refund, *, language: str | None = None) -> bytes:
    return render_pdf("refund_receipt", refund_receipt_context(refund), language=language or refund.order.language)


def refund_receipt_filename(refund) -> str:
    return f"{refund.number}.pdf"


def withdrawal_form_pdf(*, language: str, order=None) -> bytes:
    """The standard withdrawal form (RET-1), blank; pre-filled when an order is given."""
    return render_pdf("withdrawal_form", {"order": order}, language=language)


def return_request_context(request) -> dict:
    """RET-4 (issue 11 item 2): the withdrawal form filled from a ReturnRequest — its number and day, the order,
    the customer, the lines and quantities asked back, the reason and the refund account when one was given."""
    lines = [
        {"name": line.order_line.product_name, "quantity": line.quantity}
        for line in request.lines.select_related("order_line").order_by("pk")
    ]
    return {
        "order": request.order,
        "return_request": request,
        "request_lines": lines,
        "requested_on": timezone.localtime(request.created_at, shop_tz()).date(),
    }


def return_request_filename(request) -> str:
    return f"withdrawal-{request.number}.pdf"


def return_request_pdf(request, *, language: str | None = None) -> bytes:
    """The request's withdrawal form, in the request's language unless another is asked for."""
    return render_pdf("withdrawal_form", return_request_context(request), language=language or request.language)
