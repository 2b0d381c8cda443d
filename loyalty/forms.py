"""The cabinet's joining forms (LOY-1): the mobile phone, then the one-time code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText


class PhoneForm(RefusesUnsafeText, forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        help_text=_("We will send a one-time code by SMS to confirm it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class CodeForm(RefusesUnsafeText, forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
