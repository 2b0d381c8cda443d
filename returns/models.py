"""Refunds owed to customers (REF): the first table of the returns app, filled by order cancellations now and by
returns and warranty claims later. Amounts are per order line, from what the line actually paid (REF-1)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Refund(models.Model):
    class Status(models.TextChoices):
        DUE = "due", _("Due")
        REFUNDED = "refunded", _("Refunded")

    class Reason(models.TextChoices):
        CANCELLATION = "cancellation", _("Order cancelled")
        REFUSED = "refused", _("Refused at delivery")
        RETURN = "return", _("Return")
        WARRANTY = "warranty", _("Warranty claim")

    order = models.ForeignKey("orders.Order", verbose_name=_("order"), related_name="refunds", on_delete=models.PROTECT)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    amount = models.DecimalField(_("amount, KZT"), max_digits=12, decimal_places=2)
    delivery_amount = models.DecimalField(_("of which delivery, KZT"), max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    payment_method = models.CharField(_("refunded through"), max_length=30)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ("-created_at", "id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(delivery_amount__gte=0, delivery_amount__lte=models.F("amount")),
                name="refund_delivery_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.order} {self.amount} {self.currency}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, verbose_name=_("refund"), related_name="lines", on_delete=models.CASCADE)
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), related_name="refund_lines", on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount, KZT"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("refund line")
        verbose_name_plural = _("refund lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1, amount__gte=0), name="refundline_positive"),
        ]

    def __str__(self):
        return f"{self.order_line} × {self.quantity}"
