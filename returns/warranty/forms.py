"""The warranty claim forms (WAR-3): finding the order as a guest, the claim itself with its attachments, and the
staff's remedy forms in the admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from base.request_text import RefusesUnsafeText
from shop.images import validate_image

from ..admin_forms import replacement_field
from .models import WarrantyClaim

PDF_MAGIC = b"%PDF-"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class FindOrderForm(RefusesUnsafeText, forms.Form):
    number = forms.CharField(
        label=_("Order number"), max_length=16, error_messages={"required": _("Enter the order number.")}
    )
    email = forms.EmailField(
        label=_("E-mail given at checkout"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter the e-mail."), "invalid": _("Enter a valid e-mail address.")},
    )

    def clean_number(self):
        return "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def attachment_type(upload) -> str:
    """WAR-3: the real type of an uploaded receipt, photo or document — a PDF (by its header) or a JPEG/PNG/WebP
    image (opened and verified by Pillow) — whatever its name or the browser said; ValidationError otherwise."""
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return "application/pdf"
    validate_image(upload)  # raises on anything that is not a real image
    try:
        with Image.open(upload) as img:
            return IMAGE_TYPES[img.format]
    except (UnidentifiedImageError, OSError, KeyError) as exc:
        raise ValidationError(_("Attach photos (JPEG, PNG, WebP) or PDF documents only."), code="bad_type") from exc
    finally:
        upload.seek(0)


class ClaimForm(RefusesUnsafeText, forms.Form):
    order_line = forms.TypedChoiceField(label=_("Item"), coerce=int)
    serial_number = forms.CharField(label=_("Serial number (if any)"), max_length=100, required=False)
    description = forms.CharField(
        label=_("What is wrong"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the defect: what happens, when, what you tried."),
    )
    defect_found_on = forms.DateField(
        label=_("When you found the defect"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    preferred_remedy = forms.ChoiceField(
        label=_("What you ask for"), choices=WarrantyClaim.RemedyChoice.choices, widget=forms.RadioSelect
    )
    amount_claimed = forms.DecimalField(
        label=_("Amount claimed, KZT (for a refund or price reduction)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
    )
    manufactured_on = forms.DateField(
        label=_("Manufacture date on the item (if the purchase date is unknown)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_email = forms.EmailField(label=_("E-mail"), max_length=254)
    contact_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    contact_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    attachments = MultipleFileField(
        label=_("Receipt, photos, documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args, order, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order
        self.today = today
        self.lines = {line.pk: line for line in order.lines.all() if not line.is_service}
        self.fields["order_line"].choices = [
            (pk, f"{line.product_name} ({line.sku})") for pk, line in self.lines.items()
        ]
        limit = settings.SHOP_WARRANTY_MAX_ATTACHMENTS
        size_mb = settings.SHOP_WARRANTY_MAX_ATTACHMENT_BYTES // 2**20
        self.fields["attachments"].help_text = _("JPEG, PNG, WebP or PDF; up to %(count)d files of %(mb)d MB each.") % {
            "count": limit,
            "mb": size_mb,
        }

    def clean_defect_found_on(self):
        found = self.cleaned_data["defect_found_on"]
        if found > self.today:
            raise ValidationError(_("The date the defect was found cannot be in the future."))
        return found

    def clean_manufactured_on(self):
        made = self.cleaned_data.get("manufactured_on")
        if made is not None and made > self.today:
            raise ValidationError(_("The manufacture date cannot be in the future."))
        return made

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > settings.SHOP_WARRANTY_MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": settings.SHOP_WARRANTY_MAX_ATTACHMENTS},
                code="too_many",
            )
        for upload in files:
            if upload.size > settings.SHOP_WARRANTY_MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    _("%(name)s is too large: at most %(mb)d MB.")
                    % {"name": upload.name[:80], "mb": settings.SHOP_WARRANTY_MAX_ATTACHMENT_BYTES // 2**20},
                    code="too_large",
                )
            try:
                upload.content_type = attachment_type(upload)
            except ValidationError as exc:
                raise ValidationError(
                    _("%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document.") % {"name": upload.name[:80]},
                    code="bad_type",
                ) from exc
        return files

    def clean(self):
        cleaned = super().clean()
        remedy = cleaned.get("preferred_remedy")
        if remedy in (
            WarrantyClaim.RemedyChoice.PRICE_REDUCTION,
            WarrantyClaim.RemedyChoice.REFUND,
        ) and not cleaned.get("amount_claimed"):
            self.add_error("amount_claimed", _("Say how much you claim."))
        return cleaned

    @property
    def line(self):
        return self.lines[self.cleaned_data["order_line"]]


class ExamineForm(RefusesUnsafeText, forms.Form):
    service_centre = forms.CharField(label=_("Certified service centre"), max_length=200)
    reference = forms.CharField(label=_("Service centre reference"), max_length=100, required=False)
    sent_on = forms.DateField(label=_("Sent on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ResolveForm(RefusesUnsafeText, forms.Form):
    remedy = forms.ChoiceField(label=_("Remedy"), choices=WarrantyClaim.RemedyChoice.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Resolution (shown on the act)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    back_on = forms.DateField(
        label=_("Repair: back from the service centre on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    service_reference = forms.CharField(label=_("Repair: service centre reference"), max_length=100, required=False)
    amount = forms.DecimalField(
        label=_("Price reduction or difference settled, KZT"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    replacement = replacement_field()

    EXCHANGES = (WarrantyClaim.RemedyChoice.EXCHANGE_SAME, WarrantyClaim.RemedyChoice.EXCHANGE_SIMILAR)

    def __init__(self, *args, replacements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].choices = [("", "—"), *replacements]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remedy") in self.EXCHANGES and not cleaned.get("replacement"):
            self.add_error("replacement", _("Choose the replacement."))
        if cleaned.get("remedy") == WarrantyClaim.RemedyChoice.PRICE_REDUCTION and not cleaned.get("amount"):
            self.add_error("amount", _("Enter the amount of the price reduction."))
        return cleaned


class RejectForm(RefusesUnsafeText, forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the customer)"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
