"""Forms of the payment pages: Kaspi's phone (PAY-1) and "choose another method" (PAY-5)."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText


class KaspiPhoneForm(RefusesUnsafeText, forms.Form):
    phone = forms.CharField(
        label=_("Phone number linked to Kaspi"),
        max_length=20,
        help_text=_("The invoice appears in the Kaspi app of this number."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        raw = self.cleaned_data["phone"]
        try:
            number = phonenumbers.parse(raw, "KZ")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number) or number.country_code != 7:
            raise forms.ValidationError(_("Enter a Kazakhstan mobile number, e.g. +7 701 234 56 78."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SwitchMethodForm(RefusesUnsafeText, forms.Form):
    method = forms.ChoiceField(label=_("Another payment method"), widget=forms.RadioSelect)

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(adapter.code, adapter.label) for adapter in methods]
