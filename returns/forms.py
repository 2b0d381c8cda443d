"""The customer's return form (RET-3, RET-4): lines and quantities, reason, the RET-2 declarations, photos, how the
goods come back, and the bank account for cash orders. The rules themselves are checked again by the service
under the order's lock; the form turns bad input into messages, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText

from . import policy
from .models import ReturnReason, ReturnShipping
from .photos import validate_photos

CONDITION_LABELS = {
    policy.UNUSED: _("The goods are unused"),
    policy.SEALS_AND_LABELS_INTACT: _("Seals and factory labels are intact"),
    policy.ORIGINAL_PACKAGING: _("In the original packaging"),
    policy.COMPLETE_SET: _("The set is complete"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReturnForm(RefusesUnsafeText, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you returning the goods?"), choices=ReturnReason.choices, widget=forms.RadioSelect
    )
    conditions = forms.MultipleChoiceField(
        label=_("Condition of the goods"),
        required=False,
        choices=list(CONDITION_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required for a return without a defect."),
    )
    description = forms.CharField(
        label=_("What is wrong (for a defect or damage)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = MultiplePhotoField(label=_("Photos (up to 5, JPEG/PNG/WebP, 10 MB each)"), required=False)
    shipping = forms.ChoiceField(
        label=_("How do the goods come back?"), choices=ReturnShipping.choices, widget=forms.RadioSelect
    )
    tracking_number = forms.CharField(label=_("Tracking number (if already sent)"), required=False, max_length=64)
    iban = forms.CharField(
        label=_("IBAN of your bank account for the refund"),
        required=False,
        max_length=42,
        help_text=_("Kazakhstan IBAN: KZ and 18 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, lines, needs_iban: bool, **kwargs):
        """`lines`: (order line, units that may still be returned, why not returnable) from the service."""
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.line_fields = []
        for line, left, refusal in lines:
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=line.product_name,
                required=False,
                min_value=0,
                max_value=left,
                initial=0,
                disabled=left == 0,
                help_text=refusal or self._units_left_text(left),
            )
            self.line_fields.append(name)
        if needs_iban:
            self.fields["iban"].required = True
        else:
            del self.fields["iban"]

    @staticmethod
    def _units_left_text(left: int) -> str:
        if left == 0:  # every unit is held by an open request (RET-3): say so rather than "up to 0"
            return _("Every unit is already in a return request.")
        return _("up to %(n)d") % {"n": left}

    def clean_photos(self):
        return validate_photos(self.cleaned_data.get("photos") or [])

    def quantities(self) -> dict[int, int]:
        return {
            line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0
            for line, _left, _refusal in self.lines
            if self.cleaned_data.get(f"line_{line.pk}")
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not self.quantities():
            raise forms.ValidationError(_("Choose at least one item and how many units to return."))
        return data


class TrackingForm(RefusesUnsafeText, forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)
