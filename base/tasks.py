"""E-mail delivery as a Celery task: templates rendered in the recipient's language and sent, retried on SMTP errors."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_templated_email(self, *, template: str, to: list[str], context: dict, language: str) -> int:
    """Render `<template>_subject.txt`, `<template>.txt` and, if present, `<template>.html` in the
    recipient's language and send them. Rendering happens in the worker so that every mail is written in the
    customer's language (ORD-7), whatever language the request that queued it used."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    sent = message.send()
    logger.info("mail %s sent to %d recipient(s) in %s", template, len(to), language)
    return sent
