"""Refunds owed to customers (REF): filled by order cancellations and refusals, returns and warranty claims. Amounts are
per order line, from what the line actually paid (REF-1); the breakdown always adds up:
amount = goods + delivery − deductions − bonus clawback (REF-2, REF-3), enforced by the database."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from base.workdays import shop_tz


class Refund(models.Model):
    class Status(models.TextChoices):
        DUE = "due", _("Due")  # owed, not sent yet (or the provider call failed: see last_error; the sweep retries)
        SENT = "sent", _("Sent")  # handed to the provider, not confirmed yet
        DONE = "done", _("Done")  # the money reached the provider / the bank transfer is made (refunded_at)
        FAILED = "failed", _("Failed")  # cannot go back this way (reason in last_error); staff settle it otherwise

    OPEN_STATUSES = (Status.DUE, Status.SENT, Status.FAILED)

    class Reason(models.TextChoices):
        CANCELLATION = "cancellation", _("Order cancelled")
        REFUSED = "refused", _("Refused at delivery")
        RETURN = "return", _("Return")
        WARRANTY = "warranty", _("Warranty claim")

    order = models.ForeignKey("orders.Order", verbose_name=_("order"), related_name="refunds", on_delete=models.PROTECT)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    amount = models.DecimalField(_("amount, KZT"), max_digits=12, decimal_places=2)
    goods_amount = models.DecimalField(_("goods, KZT"), max_digits=12, decimal_places=2, default=0)
    delivery_amount = models.DecimalField(_("of which delivery, KZT"), max_digits=10, decimal_places=2, default=0)
    deductions = models.DecimalField(_("deductions, KZT"), max_digits=12, decimal_places=2, default=0)
    deduction_reason = models.CharField(_("reason for the deductions"), max_length=500, blank=True)
    bonus_clawback = models.DecimalField(
        _("accrued bonuses clawed back, KZT"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("REF-3: bonuses accrued on the returned goods that the balance no longer covers."),
    )
    bonuses_returned = models.PositiveIntegerField(
        _("bonuses returned as bonuses"),
        default=0,
        help_text=_("Bonuses spent on the returned goods come back to the bonus account, never as money."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    payment_method = models.CharField(_("refunded through"), max_length=30)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True, db_index=True)
    due_by = models.DateField(_("refund due by"), null=True, blank=True, help_text=_("REF-5, by payment type."))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True, db_index=True)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    overdue_alerted_at = models.DateTimeField(_("overdue alert sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ("-created_at", "id")
        indexes = [models.Index(fields=("status", "due_by"), name="refund_status_due_by")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(goods_amount__gte=0, delivery_amount__gte=0, deductions__gte=0, bonus_clawback__gte=0),
                name="refund_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount=F("goods_amount") + F("delivery_amount") - F("deductions") - F("bonus_clawback")),
                name="refund_breakdown_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.order} {self.amount} {self.currency}"

    @property
    def number(self) -> str:
        """The refund's number for people (support, finance, the customer): RF-000042."""
        return f"RF-{self.pk:06d}" if self.pk else "RF-"

    def overdue_days(self, today) -> int:
        """Days past the REF-5 deadline on `today` (shop-local), 0 when on time or settled in time."""
        if self.due_by is None:
            return 0
        settled = self.status == self.Status.DONE and self.refunded_at is not None
        end = timezone.localtime(self.refunded_at, shop_tz()).date() if settled else today
        return max((end - self.due_by).days, 0)


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
from .report_audit import RefundReportExport  # noqa: E402, F401  (issue 13: the refund report's export audit)
from .warranty import models as warranty_models  # noqa: E402, F401  (issue 12: the warranty claims register)
