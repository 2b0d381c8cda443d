"""The checkout form (ORD-2): contacts, city, delivery, payment, coupon code and terms — every value the shopper
sends is checked here. Prices and totals are never read from the browser: `place_order` recomputes them, and the
only number taken back is `expected_total`, the total the shopper saw, so a changed total stops the order."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.policy import InvalidPhone, normalise_phone
from base.request_text import RefusesUnsafeText

from ..models import DeliveryMethodChoice
from ..payment_methods import all_adapters

_ID = re.compile(r"[0-9]{1,9}")


def parse_id(value) -> int | None:
    """A database id typed into a query string or a form ("12"); anything else (including "١٢" or "1e3") is None."""
    text = (value or "").strip() if isinstance(value, str) else ""
    return int(text) if _ID.fullmatch(text) else None


def _coerce_id(value) -> int:
    number = parse_id(str(value))
    if number is None:
        raise ValueError(value)
    return number


class CheckoutForm(RefusesUnsafeText, forms.Form):
    """Bound with `confirming=True` for "Confirm order": everything required and cross-checked against `quote`
    (what the page offers for the chosen city). For "Recalculate" and the coupon buttons the same form only
    re-renders what was typed, so nothing is required yet."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send the order confirmation here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        help_text=_("For example +7 701 123 45 67; the courier calls this number."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    city = forms.TypedChoiceField(
        label=_("City"),
        coerce=_coerce_id,
        empty_value=None,
        error_messages={"required": _("Choose your city."), "invalid_choice": _("Choose a city from the list.")},
    )
    delivery_method = forms.ChoiceField(
        label=_("Delivery method"),
        choices=(),
        error_messages={
            "required": _("Choose a delivery method."),
            "invalid_choice": _("Choose a delivery method from the list."),
        },
    )
    address = forms.CharField(
        label=_("Delivery address"),
        max_length=300,
        required=False,
        help_text=_("Street, house, flat or office — for a courier, a logistics company or express delivery."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),  # one line: not "street-address"
    )
    # Read only for delivery to a pickup point (checked against the city in `clean`); a stale or odd value left
    # in the list while another method is chosen stops nothing.
    pickup_point = forms.CharField(label=_("Pickup point"), required=False, max_length=20)
    payment_method = forms.ChoiceField(
        label=_("Payment method"),
        choices=(),
        error_messages={
            "required": _("Choose a payment method."),
            "invalid_choice": _("This payment method is not available for this order."),
        },
    )
    comment = forms.CharField(
        label=_("Comment on the order (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
    coupon_code = forms.CharField(
        label=_("Coupon code (optional)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    terms = forms.BooleanField(
        label=_("I have read and accept the terms of sale"),
        error_messages={"required": _("Please accept the terms of sale to place the order.")},
    )
    expected_total = forms.DecimalField(max_digits=12, decimal_places=2, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, cities, pickup_points, quote=None, confirming=False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
        self.quote = quote
        self.confirming = confirming
        self.cities = {city.pk: city for city in cities}
        self.pickup_points = {point.pk: point for point in pickup_points}
        self.fields["city"].choices = [("", _("— choose your city —"))] + [(c.pk, c.name) for c in cities]
        self.fields["delivery_method"].choices = [
            (method, DeliveryMethodChoice(method).label) for method in settings.SHOP_DELIVERY_METHODS
        ]
        self.fields["payment_method"].choices = [(code, a.label) for code, a in all_adapters().items()]
        for name in ("full_name", "email", "phone", "city"):
            self.fields[name].widget.attrs["required"] = True  # shown as required whatever the button
        if not confirming:
            for field in self.fields.values():
                field.required = False

    def clean_full_name(self):
        return " ".join(self.cleaned_data.get("full_name", "").split())

    def clean_email(self):
        return self.cleaned_data.get("email", "").strip().lower()

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return ""
        try:
            return normalise_phone(value, settings.SHOP_COUNTRY)
        except InvalidPhone:
            raise forms.ValidationError(
                _("Enter a valid phone number, for example +7 701 123 45 67."), code="invalid_phone"
            ) from None

    def clean_city(self):
        city_id = self.cleaned_data.get("city")
        if city_id is not None and city_id not in self.cities:
            raise forms.ValidationError(_("Choose a city from the list."), code="invalid_choice")
        return city_id

    def clean_pickup_point(self):
        return parse_id(self.cleaned_data.get("pickup_point", ""))

    def clean_coupon_code(self):
        return self.cleaned_data.get("coupon_code", "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        if not self.confirming or self.quote is None:
            return cleaned
        city_id, method = cleaned.get("city"), cleaned.get("delivery_method")
        if city_id is None or not method:
            return cleaned
        city = self.cities[city_id]
        option = self.quote.option(method)
        if option is None or not option.available:
            self.add_error("delivery_method", option.reason if option else _("Choose a delivery method from the list."))
            return cleaned
        if method == DeliveryMethodChoice.PICKUP:
            point = self.pickup_points.get(cleaned.get("pickup_point"))
            if point is None or point.city_id != city_id:
                self.add_error("pickup_point", _("Choose a pickup point in %(city)s.") % {"city": city.name})
        elif len(" ".join(cleaned.get("address", "").split())) < 5:
            self.add_error("address", _("Enter the delivery address: street, house, flat."))
        payment = cleaned.get("payment_method")
        if payment and payment not in self.quote.payment_codes:
            self.add_error("payment_method", _("This payment method is not available for this order."))
        if cleaned.get("expected_total") is None and not self.errors:
            raise forms.ValidationError(
                _("Please check the delivery cost and the total to pay, then confirm the order again."),
                code="total_not_seen",
            )
        return cleaned
