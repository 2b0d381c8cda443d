"""The contact form "Создать обращение" (SUP-1): who is writing, how to answer, about what."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText

from . import policy
from .models import SupportTicket

HONEYPOT_FIELD = "website"


def normalise_phone(value: str) -> str:
    """The contact phone in E.164; the same rule as the cabinet's (accounts.policy)."""
    try:
        return policy.normalise_phone(value, settings.SHOP_COUNTRY)
    except policy.InvalidPhone as exc:
        raise forms.ValidationError(
            _("Enter a valid phone number, for example +7 701 123 45 67."), code="invalid_phone"
        ) from exc


class ContactForm(RefusesUnsafeText, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send the ticket number here. Give an e-mail, a phone or both."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("For example +7 701 123 45 67."),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", _("— choose a topic —")), *SupportTicket.Topic.choices],
        error_messages={"invalid_choice": _("Choose one of the topics in the list.")},
    )
    order_number = forms.CharField(
        label=_("Order number (if the question is about an order)"), required=False, max_length=32
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Up to 5000 characters."),
    )
    # The honeypot: invisible to people and screen readers, irresistible to bots that fill in every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        return normalise_phone(phone) if phone else ""

    def clean_email(self):
        return self.cleaned_data.get("email", "").strip()

    def clean(self):
        cleaned = super().clean()
        no_email = not cleaned.get("email") and "email" not in self.errors
        no_phone = not cleaned.get("phone") and "phone" not in self.errors
        if no_email and no_phone:
            raise forms.ValidationError(
                _("Give an e-mail or a phone number so that we can answer you."), code="no_contact"
            )
        return cleaned

    def is_spam(self) -> bool:
        """True when the honeypot was filled in: such a submission is answered as a success and dropped."""
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != HONEYPOT_FIELD]
