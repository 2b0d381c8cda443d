"""The customer's warranty pages (WAR-3, WAR-6, WAR-7): finding the order as a guest (number + e-mail), the claim
form behind the order's secret link, the claim's page (its secret link: state, "answer due by", documents,
attachments), and the blank forms. A claim's link is a bearer secret like an order's: same headers, 404 for
anything else."""

from __future__ import annotations

import contextlib
import math

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from base.ratelimit import RateLimit, client_ip
from base.request_limits import accepts_uploads
from base.request_text import clean_text
from orders import selectors as order_selectors
from orders.views import secret_page

from .. import documents as pdf
from . import deadlines, documents, policy, selectors, services
from .forms import ClaimForm, FindOrderForm

claim_rate_limit = RateLimit("warranty:claim-rate", "SHOP_WARRANTY_CLAIM_RATE_LIMIT")

REFUSAL_TEXT = {
    policy.ClaimRefusal.WARRANTY_EXPIRED: gettext_lazy("The warranty on this item has ended."),
    policy.ClaimRefusal.REPORTED_TOO_LATE: gettext_lazy("A defect must be claimed within two months of finding it."),
    policy.ClaimRefusal.DEFECT_DATE_INVALID: gettext_lazy(
        "The defect cannot have been found before the item reached you."
    ),
    policy.ClaimRefusal.NO_START: gettext_lazy("The warranty has not started: the item has not been delivered yet."),
}


def refusal_message(refusal) -> str:
    return str(REFUSAL_TEXT[refusal])


def _pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=pdf.PDF)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@secret_page
@require_http_methods(["GET", "POST"])
def find_order(request):
    """Guests: the order by its number and e-mail, then the claim form. One answer for every miss; rate-limited
    per IP (SHOP_WARRANTY_CLAIM_RATE_LIMIT)."""
    if request.method == "GET":
        return render(request, "returns/warranty/find.html", {"form": FindOrderForm()})
    form = FindOrderForm(request.POST)
    if not form.is_valid():
        return render(request, "returns/warranty/find.html", {"form": form})
    if not claim_rate_limit.hit(client_ip(request)):
        seconds = claim_rate_limit.seconds_left()
        context = {"form": form, "rate_limited": True, "minutes": math.ceil(seconds / 60)}
        response = render(request, "returns/warranty/find.html", context, status=429)
        response["Retry-After"] = str(seconds)
        return response
    order = order_selectors.order_by_number_and_email(**form.cleaned_data)
    if order is None:
        return render(request, "returns/warranty/find.html", {"form": form, "not_found": True})
    return HttpResponseRedirect(reverse("warranty:new", kwargs={"token": order.access_token}))


def _order_or_404(token):
    order = order_selectors.order_by_token(token)
    if order is None:
        raise Http404(_("No order behind this link."))
    return order


@accepts_uploads  # photos: up to SHOP_UPLOAD_MAX_REQUEST_BYTES (base/request_limits.py)
@secret_page
@require_http_methods(["GET", "POST"])
def new_claim(request, token):
    """WAR-3: the claim form for an order (its secret link is the key, as for the order's page). A claim outside
    the windows is refused with the reason and the dates (WAR-2)."""
    order = _order_or_404(token)
    today = deadlines.today()
    initial = {
        "contact_name": order.full_name,
        "contact_email": order.email,
        "contact_phone": order.phone,
        "contact_address": order.delivery_address_text,
    }
    line_id = request.GET.get("line", "")
    if line_id.isdigit():
        initial["order_line"] = int(line_id)
    form = ClaimForm(request.POST or None, request.FILES or None, order=order, today=today, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = services.ClaimData(
            description=form.cleaned_data["description"],
            defect_found_on=form.cleaned_data["defect_found_on"],
            preferred_remedy=form.cleaned_data["preferred_remedy"],
            contact_name=form.cleaned_data["contact_name"],
            contact_email=form.cleaned_data["contact_email"],
            contact_phone=form.cleaned_data["contact_phone"],
            contact_address=form.cleaned_data["contact_address"],
            serial_number=form.cleaned_data["serial_number"],
            amount_claimed=form.cleaned_data["amount_claimed"],
            manufactured_on=form.cleaned_data["manufactured_on"],
            language=translation.get_language() or "ru",
        )
        try:
            claim = services.file_claim(
                order=order,
                order_line=form.line,
                data=data,
                files=form.cleaned_data["attachments"],
                user=request.user if request.user.is_authenticated else None,
            )
        except services.ClaimRefused as refused:
            refusal = {"message": refusal_message(refused.window.refusal), "window": refused.window}
        else:
            return HttpResponseRedirect(reverse("warranty:claim", kwargs={"token": claim.access_token}))
    status = 422 if refusal or form.errors else 200
    context = {"order": order, "form": form, "refusal": refusal, "has_lines": bool(form.lines)}
    return render(request, "returns/warranty/claim_form.html", context, status=status)


def _claim_or_404(token):
    claim = selectors.claim_by_token(clean_text(token, max_length=64) or "")
    if claim is None:
        raise Http404(_("No claim behind this link."))
    return claim


@secret_page
@require_safe
def claim_page(request, token):
    """The customer's timeline of a claim: its state and "answer due by …" (WAR-6), documents and attachments."""
    claim = _claim_or_404(token)
    today = deadlines.today()
    exchange = selectors.live_exchange(claim)
    context = {
        "claim": claim,
        "exchange": exchange,  # WAR-4: "exchanged for X", or the difference to pay and its link
        "pay_url": selectors.exchange_pay_url(exchange),
        "timeline": selectors.customer_timeline(claim),
        "days_left": policy.days_left(claim.due_by, today),
        "may_cancel": policy.may_cancel_for_delay(deadline=claim.due_by, today=today, resolved=not claim.is_open),
    }
    return render(request, "returns/warranty/claim.html", context)


@secret_page
@require_POST
def cancel_after_deadline(request, token):
    """WAR-6: past the month unresolved, the customer cancels the purchase and is refunded (one button)."""
    claim = _claim_or_404(token)
    with contextlib.suppress(services.ClaimStateError):  # not due yet or closed: the page shows it as it stands
        services.cancel_after_deadline(claim=claim, actor=request.user if request.user.is_authenticated else None)
    return HttpResponseRedirect(reverse("warranty:claim", kwargs={"token": claim.access_token}))


@secret_page
@require_safe
def claim_document(request, token, kind):
    claim = _claim_or_404(token)
    language = translation.get_language() or claim.language
    if kind == "complaint":
        return _pdf_response(
            documents.complaint_form_pdf(claim, language=language), documents.complaint_filename(claim)
        )
    if kind == "act" and claim.status == claim.Status.RESOLVED:
        return _pdf_response(documents.act_pdf(claim, language=language), documents.act_filename(claim))
    if kind == "refund" and claim.refund_id:
        return _pdf_response(pdf.refund_receipt_pdf(claim.refund, language=language), f"{claim.refund.number}.pdf")
    raise Http404(_("No such document."))


@secret_page
@require_safe
def claim_attachment(request, token, attachment_id):
    claim = _claim_or_404(token)
    attachment = claim.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404(_("No such file."))
    return attachment_response(attachment)


def attachment_response(attachment) -> FileResponse:
    """A stored attachment, as the type it was checked to be, never rendered by the browser as a page."""
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="{attachment.pk}{_extension(attachment.content_type)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; plugin-types application/pdf"
    return response


def _extension(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}.get(
        content_type, ""
    )


@require_safe
def blank_complaint_form(request):
    """The complaint form, blank, for the warranty page (seed 002: "Стандартен формуляр за ... рекламация")."""
    language = translation.get_language() or "ru"
    return _pdf_response(documents.complaint_form_pdf(None, language=language), documents.complaint_filename())


@require_safe
def blank_withdrawal_form(request):
    """The standard withdrawal form, blank, for the returns page (seed 002, art. 24(3))."""
    language = translation.get_language() or "ru"
    return _pdf_response(pdf.withdrawal_form_pdf(language=language), "withdrawal-form.pdf")
