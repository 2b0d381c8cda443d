"""Support alerts (PAY-4): money that needs a person — a payment for a cancelled order, a refund that failed."""

import logging

from django.conf import settings

from base.mail import queue_email

from . import events
from .models import PaymentEvent

logger = logging.getLogger(__name__)


def alert_support(*, payment, message: str) -> None:
    """Logged with the payment, and mailed (after commit) to `SHOP_PAYMENT_ALERT_EMAILS`."""
    events.record(payment=payment, kind=PaymentEvent.Kind.ALERT, verified=True, outcome=message)
    logger.warning("payment alert: %s", message)
    recipients = list(settings.SHOP_PAYMENT_ALERT_EMAILS)
    if recipients:
        queue_email(
            template="mail/payments/alert",
            to=recipients,
            context={"message": message, "invoice": payment.invoice_id, "order": payment.order.number},
            language=settings.LANGUAGE_CODE,
        )
