"""Forms of the customer's order pages: asking to cancel (ORD-6) and finding an order by number and e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText

REASON_MAX_LENGTH = 500


class CancellationRequestForm(RefusesUnsafeText, forms.Form):
    reason = forms.CharField(
        label=_("Why do you want to cancel? (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the reason under %(limit_value)d characters.")},
    )


class FindOrderForm(RefusesUnsafeText, forms.Form):
    number = forms.CharField(
        label=_("Order number"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("As in the order confirmation e-mail."),
        error_messages={"required": _("Enter the order number.")},
    )
    email = forms.EmailField(
        label=_("E-mail given at checkout"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter the e-mail."), "invalid": _("Enter a valid e-mail address.")},
    )

    def clean_number(self):
        # People copy "№ 12345678" or "#12345678" from the mail; only the digits are the number.
        return "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())
