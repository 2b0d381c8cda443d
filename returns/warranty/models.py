"""The register of warranty claims (WAR-3..7): claims numbered W-<year>-<nnnn> without gaps, their event log, the
files customers attach. Loaded with returns/models.py by ReturnsConfig.import_models (returns/apps.py), so Django
files them under the returns app."""

import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .policy import Remedy, StartBasis


class WarrantyClaimCounter(models.Model):
    """One row per year holding the last number given: the claim service locks it (select_for_update) while it
    numbers a claim, so concurrent claims queue on it and the numbers have no gaps (a rolled-back claim rolls back
    its increment too)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        app_label = "returns"
        verbose_name = _("claim counter")
        verbose_name_plural = _("claim counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


def new_access_token() -> str:
    return secrets.token_urlsafe(32)


class WarrantyClaim(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        EXAMINATION = "examination", _("Under examination")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Rejected")

    OPEN_STATUSES = (Status.RECEIVED, Status.EXAMINATION)

    class RemedyChoice(models.TextChoices):
        REPAIR = Remedy.REPAIR.value, _("Repair at a certified service centre")
        EXCHANGE_SAME = Remedy.EXCHANGE_SAME.value, _("Exchange for the same item, no surcharge")
        EXCHANGE_SIMILAR = Remedy.EXCHANGE_SIMILAR.value, _("Exchange for a similar item, the difference settled")
        REFUND = Remedy.REFUND.value, _("Refund")
        PRICE_REDUCTION = Remedy.PRICE_REDUCTION.value, _("Price reduction")

    class Basis(models.TextChoices):
        DELIVERY = StartBasis.DELIVERY.value, _("delivery")
        PURCHASE = StartBasis.PURCHASE.value, _("hand-over")
        MANUFACTURE = StartBasis.MANUFACTURE.value, _("manufacture")
        SEASON = StartBasis.SEASON.value, _("season start")

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    access_token = models.CharField(max_length=64, unique=True, default=new_access_token, editable=False)
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), related_name="warranty_claims", on_delete=models.PROTECT
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("item"), related_name="warranty_claims", on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        related_name="warranty_claims",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    description = models.TextField(_("what is wrong"), max_length=3000)
    defect_found_on = models.DateField(_("defect found on"))
    manufactured_on = models.DateField(_("manufactured on"), null=True, blank=True)
    preferred_remedy = models.CharField(_("preferred remedy"), max_length=20, choices=RemedyChoice.choices)
    amount_claimed = models.DecimalField(
        _("amount claimed, KZT"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    contact_name = models.CharField(_("name"), max_length=150)
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_address = models.CharField(_("address"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ru")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True, db_index=True)
    due_by = models.DateField(_("answer due by"), help_text=_("WAR-6: one month from the claim."))
    warranty_starts_on = models.DateField(_("warranty from"), null=True, blank=True)
    warranty_start_basis = models.CharField(_("warranty runs from"), max_length=12, choices=Basis.choices, blank=True)
    warranty_last_day = models.DateField(_("warranty until"), null=True, blank=True)
    defect_presumed = models.BooleanField(
        _("defect presumed"), default=False, help_text=_("WAR-5: found within 6 months of delivery.")
    )

    service_centre = models.CharField(_("service centre"), max_length=200, blank=True)
    service_reference = models.CharField(_("service centre reference"), max_length=100, blank=True)
    sent_to_service_on = models.DateField(_("sent to the service centre"), null=True, blank=True)
    back_from_service_on = models.DateField(_("back from the service centre"), null=True, blank=True)

    remedy = models.CharField(_("remedy given"), max_length=20, choices=RemedyChoice.choices, blank=True)
    remedy_amount = models.DecimalField(
        _("amount, KZT"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Price reduction, or the difference settled for a similar item."),
    )
    exchange_line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("exchanged for"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    refund = models.OneToOneField(
        "returns.Refund",
        verbose_name=_("refund"),
        related_name="warranty_claim",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    resolution_note = models.TextField(_("resolution"), max_length=3000, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), max_length=3000, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        app_label = "returns"
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        ordering = ("due_by", "id")
        permissions = [("act_on_warrantyclaim", _("Can examine and resolve warranty claims"))]
        indexes = [models.Index(fields=("status", "due_by"), name="warrantyclaim_status_due_by")]
        constraints = [
            models.UniqueConstraint(fields=("year", "sequence"), name="warrantyclaim_year_sequence_unique"),
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(remedy=""), name="warrantyclaim_resolved_has_remedy"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="warrantyclaim_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=0),
                name="warrantyclaim_amount_claimed_not_negative",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class WarrantyClaimEvent(models.Model):
    """Append-only log of what happened to a claim and who did it (SUP-2: every staff action audited)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Claim received")
        EXAMINATION = "examination", _("Sent for examination")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Rejected")
        OVERDUE = "overdue", _("Past the one-month deadline")
        NOTE = "note", _("Note")
        DOCUMENT = "document", _("Document downloaded by staff")

    claim = models.ForeignKey(WarrantyClaim, verbose_name=_("claim"), related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    message = models.CharField(_("details"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "returns"
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ("at", "id")

    def __str__(self):
        return f"{self.claim} {self.kind}"


def claim_files_storage():
    """Attachments live outside MEDIA_ROOT (which may be served publicly): only the claim's pages serve them."""
    return FileSystemStorage(location=settings.SHOP_PRIVATE_MEDIA_ROOT)


def _attachment_path(instance, filename):
    return f"claims/{instance.claim.year}/{instance.claim.access_token[:16]}/{secrets.token_hex(8)}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:6] if dot >= 0 else ""


class WarrantyAttachment(models.Model):
    claim = models.ForeignKey(
        WarrantyClaim, verbose_name=_("claim"), related_name="attachments", on_delete=models.CASCADE
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, storage=claim_files_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        app_label = "returns"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("id",)

    def __str__(self):
        return self.original_name
