"""The resolution mail (WAR-7): sent from a worker with the act of satisfaction attached, in the customer's language.
base.mail's templated mails carry no attachments, so this task renders the same three templates itself."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .. import documents as pdf
from . import documents
from .models import WarrantyClaim

logger = logging.getLogger(__name__)
TEMPLATE = "mail/warranty/claim_resolved"


def claim_link(claim: WarrantyClaim) -> str:
    """The claim's secret page, absolute, in the customer's language (mails are built with no request)."""
    with translation.override(claim.language):
        return settings.SHOP_BASE_URL + reverse("warranty:claim", kwargs={"token": claim.access_token})


def resolution_context(claim: WarrantyClaim) -> dict:
    return {
        "number": claim.number,
        "product": claim.order_line.product_name,
        "name": claim.contact_name,
        "remedy": claim.get_remedy_display(),
        "note": claim.resolution_note,
        "link": claim_link(claim),
        "shop_name": settings.SHOP_NAME,
        "shop_url": settings.SHOP_BASE_URL,
    }


@shared_task(autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_resolution_mail(*, claim_id: int) -> int:
    """Mail the customer that the claim is resolved, with the act of satisfaction as a PDF. Idempotent enough for a
    retry: it only sends."""
    claim = WarrantyClaim.objects.select_related("order", "order_line").filter(pk=claim_id).first()
    if claim is None or claim.status != WarrantyClaim.Status.RESOLVED:
        return 0
    with translation.override(claim.language):
        context = resolution_context(claim)
        subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
        body = render_to_string(f"{TEMPLATE}.txt", context)
        try:
            html = render_to_string(f"{TEMPLATE}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [claim.contact_email])
    if html:
        message.attach_alternative(html, "text/html")
    message.attach(documents.act_filename(claim), documents.act_pdf(claim), pdf.PDF)
    sent = message.send()
    logger.info("warranty claim %s: resolution mail sent", claim.number)
    return sent
