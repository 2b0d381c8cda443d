"""Cabinet forms (ACC-3): profile, address and the deletion confirmation. They validate and normalise input;
saving goes through accounts.services."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText

from . import policy
from .models import Address, User

PHONE_HELP = _("For example +7 701 123 45 67.")


def _clean_phone(value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise forms.ValidationError(_("Enter a phone number."), code="required")
        return ""
    try:
        return policy.normalise_phone(value, settings.SHOP_COUNTRY)
    except policy.InvalidPhone:
        raise forms.ValidationError(
            _("Enter a valid phone number, for example +7 701 123 45 67."), code="invalid_phone"
        ) from None


def _phone_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})


class NamesInTheirLanguage(forms.Select):
    """Options that name a language in that language say so (`lang`), for screen readers and page checks."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["attrs"]["lang"] = str(value)
        return option


class ProfileForm(RefusesUnsafeText, forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "phone", "marketing_opt_in", "preferred_language")
        labels = {
            "full_name": _("Full name"),
            "phone": _("Phone"),
            "marketing_opt_in": _("Send me news and special offers by e-mail"),
            "preferred_language": _("Language of our e-mails"),
        }
        help_texts = {
            "phone": PHONE_HELP,
            "marketing_opt_in": _("You can change your mind at any time. Order e-mails are sent either way."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": _phone_widget(),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Each language in its own name: a reader of Kazakh finds "Қазақ" whatever the page language.
        language = self.fields["preferred_language"]
        language.widget = NamesInTheirLanguage()
        language.choices = [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]

    def clean_phone(self):
        return _clean_phone(self.cleaned_data.get("phone", ""), required=False)


class AddressForm(RefusesUnsafeText, forms.ModelForm):
    class Meta:
        model = Address
        fields = ("label", "recipient", "phone", "city", "street", "apartment", "postal_code", "comment")
        labels = {
            "label": _("Name of this address"),
            "recipient": _("Recipient"),
            "phone": _("Recipient's phone"),
            "city": _("City or town"),
            "street": _("Street and house"),
            "apartment": _("Apartment or office"),
            "postal_code": _("Postal code"),
            "comment": _("Comment for the courier"),
        }
        help_texts = {
            "label": _("Optional, e.g. Home or Office."),
            "phone": PHONE_HELP,
            "postal_code": _("Optional, six digits, e.g. 050000."),
            "comment": _("Optional, e.g. entrance, floor, intercom code."),
        }
        widgets = {
            "recipient": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": _phone_widget(),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "apartment": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        }

    def __init__(self, *args, offer_default: bool = False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if offer_default:
            self.fields["make_default"] = forms.BooleanField(label=_("Use as my default address"), required=False)

    def clean_phone(self):
        return _clean_phone(self.cleaned_data.get("phone", ""), required=True)

    def clean_postal_code(self):
        code = self.cleaned_data.get("postal_code", "")
        if code and not policy.is_valid_postal_code(code, settings.SHOP_COUNTRY):
            raise forms.ValidationError(_("Enter the six-digit postal code, e.g. 050000."), code="invalid_postal")
        return code

    def address_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class DeletionConfirmForm(RefusesUnsafeText, forms.Form):
    """The customer confirms the deletion with the current password: a forgotten open session is not enough."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="incorrect_password")
        return password
