"""Payments (PAY-1..7): one `Payment` per attempt to pay an order, its append-only `PaymentEvent` log, and the
`PaymentRefund`s sent back through the provider.

Double charges and double refunds are stopped by the database as well as by the services: a provider's
transaction id can be recorded once per adapter, a refund's idempotency key once, and refunded money never
exceeds what was paid."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    NEW = "new", _("New")  # created; the customer has not reached the provider yet
    PENDING = "pending", _("Waiting for the provider")  # invoice sent, 3-D Secure, hosted page open
    SUCCEEDED = "succeeded", _("Paid")
    FAILED = "failed", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")  # expired, or the order was cancelled before the money came
    REFUNDED = "refunded", _("Refunded")  # fully; a partial refund keeps "paid" with a refunded amount


OPEN_STATUSES = (PaymentStatus.NEW, PaymentStatus.PENDING)
MONEY_TAKEN = (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)


class Payment(models.Model):
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), related_name="payments", on_delete=models.PROTECT
    )
    adapter = models.CharField(_("method"), max_length=30)
    # What the provider knows this attempt by: the order number and a two-digit attempt (Epay wants 6-15 digits).
    invoice_id = models.CharField(_("invoice"), max_length=20, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.NEW)
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    # The provider's ids: its payment/invoice (Epay "id", Kaspi QrPaymentId) and the money movement that paid it.
    provider_payment_id = models.CharField(_("provider payment id"), max_length=64, blank=True, db_index=True)
    provider_transaction_id = models.CharField(_("provider transaction id"), max_length=64, blank=True)
    # Epay: the hash we gave the provider, which its callback must echo. Not a credential, but not shown either.
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = models.CharField(_("phone for the invoice"), max_length=20, blank=True)
    decline_code = models.CharField(_("decline code"), max_length=20, blank=True)
    decline_message = models.CharField(_("decline reason"), max_length=300, blank=True)
    refunded_amount = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=0)
    # Issue 11 (REF-5 wording): the paying card's last four digits as the provider's notification gave them, so the
    # customer reads "to the card ending 4242". Never more of the card number than these four digits.
    card_last4 = models.CharField(_("card's last four digits"), max_length=4, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    # Polling adapters (Kaspi): when to ask the provider next, and how often we asked (back-off).
    next_check_at = models.DateTimeField(_("next status check"), null=True, blank=True, db_index=True)
    checks_made = models.PositiveIntegerField(_("status checks made"), default=0)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=F("amount")),
                name="payment_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(card_last4="") | Q(card_last4__regex=r"^[0-9]{4}$"), name="payment_card_last4_digits"
            ),
            # PAY-4: one provider transaction pays one attempt, once.
            models.UniqueConstraint(
                fields=("adapter", "provider_transaction_id"),
                condition=~Q(provider_transaction_id=""),
                name="payment_provider_transaction_once",
            ),
        ]
        permissions = [("refund_payment", _("Can send refunds through the payment provider"))]

    def __str__(self):
        return f"{self.invoice_id} {self.amount} {self.currency}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def refundable(self):
        return self.amount - self.refunded_amount if self.status == PaymentStatus.SUCCEEDED else 0


class PaymentEvent(models.Model):
    """Append-only: every call to and from a provider, verified or not, with what we did about it (PAY-3)."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Payment started")
        NOTIFICATION = "notification", _("Notification from the provider")
        STATUS = "status", _("Status check")
        REFUND = "refund", _("Refund")
        EXPIRED = "expired", _("Expired unpaid")
        ALERT = "alert", _("Alert to support")
        CALL = "call", _("Call to the provider")

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), related_name="events", null=True, blank=True, on_delete=models.PROTECT
    )
    adapter = models.CharField(_("method"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    verified = models.BooleanField(_("authenticated"), default=False)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    payload = models.TextField(_("payload (card data and secrets masked)"), blank=True)
    headers = models.JSONField(_("headers that matter"), default=dict, blank=True)
    remote_ip = models.GenericIPAddressField(_("from IP"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ("at", "id")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.outcome}"


class PaymentRefund(models.Model):
    """Money sent back through the provider (PAY-7), full or partial. A refund is recorded (pending) before the
    provider is called, so a second request for the same money is refused even while the first is in flight."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Sent to the provider")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    class Reason(models.TextChoices):
        CANCELLED_ORDER = "cancelled_order", _("Paid after the order was cancelled")
        DUPLICATE = "duplicate", _("The order was already paid")
        REFUND_DUE = "refund_due", _("Refund due (cancellation, return)")
        PROVIDER = "provider", _("Made at the provider")

    payment = models.ForeignKey(Payment, verbose_name=_("payment"), related_name="refunds", on_delete=models.PROTECT)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    provider_refund_id = models.CharField(_("provider refund id"), max_length=64, blank=True)
    message = models.CharField(_("provider's answer"), max_length=300, blank=True)
    # What the refund is for, as the caller names it (e.g. "returns.refund:17"): payments knows no table above it.
    reference = models.CharField(_("refund for"), max_length=80, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund through the provider")
        verbose_name_plural = _("refunds through the provider")
        ordering = ("-created_at", "-id")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="paymentrefund_amount_positive")]

    def __str__(self):
        return f"{self.payment.invoice_id} −{self.amount}"
