"""Refunds owed to customers (REF): filled by order cancellations and refusals, returns and warranty claims. Amounts are
per order line, from what the line actually paid (REF-1); the breakdown always adds up:
amount = goods + delivery − deductions − bonus clawback (REF-2, REF-3), enforced by the database."""

from django.conf import settings
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


# --- Return requests (RET-3..8) -----------------------------------------------------------------------------------


class ReturnState(models.TextChoices):
    """Where a return request stands; the moves between them are `returns.policy.RETURN_TRANSITIONS`."""

    SUBMITTED = "submitted", _("Submitted")  # registered; the customer sends the goods back (RET-5)
    AWAITING_GOODS = "awaiting_goods", _("Awaiting the goods")  # shipped by the customer or pickup booked
    RECEIVED = "received", _("Goods received")  # at the shop; inspection answers within 5 working days (RET-7)
    ACCEPTED = "accepted", _("Accepted")  # inspected and accepted (perhaps with a documented deduction)
    REJECTED = "rejected", _("Rejected")  # not in saleable condition: the goods go back to the customer
    REFUNDED = "refunded", _("Refunded")
    EXCHANGED = "exchanged", _("Exchanged")  # RET-8
    LAPSED = "lapsed", _("Lapsed")  # goods not sent within 14 days of the request (RET-5)
    CANCELLED = "cancelled", _("Cancelled by the customer")


class ReturnReason(models.TextChoices):
    CHANGED_MIND = "changed_mind", _("Changed my mind")
    DEFECT = "defect", _("Defect")
    WRONG_ITEM = "wrong_item", _("Wrong item delivered")
    DAMAGED = "damaged", _("Damaged in transit")


class ReturnShipping(models.TextChoices):
    COURIER_PICKUP = "courier_pickup", _("Courier pickup")
    OWN_SHIPMENT = "own_shipment", _("I send it myself (tracking number)")


class ReturnNumberSequence(models.Model):
    """The last request number given out per year (V-2026-0001, V-2026-0002, ...): one row per year, bumped in
    one statement so two requests at the same instant never get the same number."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("return number sequence")
        verbose_name_plural = _("return number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class ReturnRequest(models.Model):
    """A customer's request to send goods back (RET-3, RET-4) and everything decided about it; its history is in
    `ReturnEvent`, its money in the `Refund` an accepted inspection creates."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), related_name="return_requests", on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        related_name="return_requests",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    email = models.EmailField(_("e-mail"), db_index=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    state = models.CharField(
        _("state"), max_length=20, choices=ReturnState.choices, default=ReturnState.SUBMITTED, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReturnReason.choices)
    description = models.TextField(_("what is wrong"), max_length=2000, blank=True)
    # RET-2: what the customer declares about the goods
    unused = models.BooleanField(_("unused"), default=False)
    seals_and_labels_intact = models.BooleanField(_("seals and factory labels intact"), default=False)
    original_packaging = models.BooleanField(_("in the original packaging"), default=False)
    complete_set = models.BooleanField(_("complete set"), default=False)
    shipping = models.CharField(_("how the goods come back"), max_length=20, choices=ReturnShipping.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    iban = models.CharField(
        _("IBAN for the refund"), max_length=34, blank=True, help_text=_("Cash and cash-on-delivery orders.")
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    send_back_by = models.DateField(_("send the goods by"), help_text=_("RET-5"))
    shipped_at = models.DateTimeField(_("goods shipped"), null=True, blank=True)
    received_at = models.DateTimeField(_("goods received"), null=True, blank=True)
    inspect_by = models.DateField(_("inspection due by"), null=True, blank=True, help_text=_("RET-7"))
    inspected_at = models.DateTimeField(_("inspected"), null=True, blank=True)
    deduction_amount = models.DecimalField(_("deduction, KZT"), max_digits=12, decimal_places=2, default=0)
    deduction_reason = models.CharField(_("reason for the deduction"), max_length=500, blank=True)
    rejection_reason = models.CharField(_("reason for the rejection"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    refund = models.OneToOneField(
        Refund,
        verbose_name=_("refund"),
        related_name="return_request",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    inspection_overdue_alerted_at = models.DateTimeField(_("late inspection alert sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("state", "send_back_by"), name="return_state_send_back"),
            models.Index(fields=("state", "inspect_by"), name="return_state_inspect_by"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(deduction_amount__gte=0), name="return_deduction_not_negative"),
            models.CheckConstraint(
                condition=Q(deduction_amount=0) | ~Q(deduction_reason=""), name="return_deduction_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="return_rejection_has_reason"
            ),
        ]
        permissions = [
            ("decide_return", _("Can receive, inspect and exchange returns")),
            ("mark_cash_refund_done", _("Can mark cash refunds done")),
        ]

    def __str__(self):
        return self.number

    @property
    def declared_conditions(self) -> list[str]:
        names = ("unused", "seals_and_labels_intact", "original_packaging", "complete_set")
        return [name for name in names if getattr(self, name)]


class ReturnLine(models.Model):
    """How many units of one order line come back (RET-3)."""

    request = models.ForeignKey(
        ReturnRequest, verbose_name=_("return request"), related_name="lines", on_delete=models.CASCADE
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), related_name="return_lines", on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("returned line")
        verbose_name_plural = _("returned lines")
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="returnline_quantity_positive"),
            models.UniqueConstraint(fields=("request", "order_line"), name="returnline_one_per_order_line"),
        ]

    def __str__(self):
        return f"{self.order_line} × {self.quantity}"


class ReturnPhoto(models.Model):
    """A photo of the goods (RET-4), checked with Pillow before it is saved (`returns.forms`)."""

    request = models.ForeignKey(
        ReturnRequest, verbose_name=_("return request"), related_name="photos", on_delete=models.CASCADE
    )
    image = models.ImageField(_("photo"), upload_to="returns/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ("id",)

    def __str__(self):
        return self.image.name


class ReturnEvent(models.Model):
    """The append-only log of a return request: every move with its actor, time, the quantities it concerned
    (order line id → units) and a note (a deduction's or rejection's reason, a tracking number)."""

    request = models.ForeignKey(
        ReturnRequest, verbose_name=_("return request"), related_name="events", on_delete=models.CASCADE
    )
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, choices=ReturnState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ReturnState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    actor_role = models.CharField(
        _("role"), max_length=10, choices=[("customer", _("customer")), ("staff", _("staff")), ("system", _("system"))]
    )
    quantities = models.JSONField(_("quantities"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("return event")
        verbose_name_plural = _("return history")
        ordering = ("at", "id")

    def __str__(self):
        return f"{self.request} {self.action} {self.at:%Y-%m-%d %H:%M}"


# --- Exchanges (RET-8, WAR-4) -------------------------------------------------------------------------------------


class Exchange(models.Model):
    """Goods exchanged instead of refunded (RET-8) or as a warranty remedy (WAR-4): the exchange order that hands
    the replacement out (its one line, the stock it took), the credit the returned goods paid (REF-1) and how the
    difference is settled — a `Refund` of the part the replacement does not use, or the surcharge the customer pays
    as the exchange order's total. One live exchange per request or claim, enforced by the database."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting the price difference")
        DONE = "done", _("Exchanged")
        CANCELLED = "cancelled", _("Cancelled (the difference was not paid)")

    request = models.ForeignKey(
        ReturnRequest,
        verbose_name=_("return request"),
        related_name="exchanges",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    claim = models.ForeignKey(
        "returns.WarrantyClaim",
        verbose_name=_("warranty claim"),
        related_name="exchanges",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    source_order = models.ForeignKey(
        "orders.Order", verbose_name=_("order returned from"), related_name="+", on_delete=models.PROTECT
    )
    order = models.OneToOneField(
        "orders.Order", verbose_name=_("exchange order"), related_name="exchange", on_delete=models.PROTECT
    )
    line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("replacement"), related_name="+", on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    same_item = models.BooleanField(_("the same item"), default=False)
    credit = models.DecimalField(_("paid for the returned units, KZT"), max_digits=12, decimal_places=2)
    replacement_amount = models.DecimalField(_("replacement worth, KZT"), max_digits=12, decimal_places=2)
    surcharge = models.DecimalField(_("difference to pay, KZT"), max_digits=12, decimal_places=2, default=0)
    refund = models.OneToOneField(
        Refund,
        verbose_name=_("difference refunded"),
        related_name="exchange",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, claim__isnull=True) | Q(request__isnull=True, claim__isnull=False),
                name="exchange_for_a_request_or_a_claim",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, credit__gte=0, replacement_amount__gte=0, surcharge__gte=0),
                name="exchange_amounts_not_negative",
            ),
            models.UniqueConstraint(
                fields=("request",), condition=~Q(status="cancelled"), name="exchange_one_live_per_request"
            ),
            models.UniqueConstraint(
                fields=("claim",), condition=~Q(status="cancelled"), name="exchange_one_live_per_claim"
            ),
        ]

    def __str__(self):
        return f"{self.order} ({self.get_status_display()})"


from .report_audit import RefundReportExport  # noqa: E402, F401  (issue 13: the refund report's export audit)
