"""Cart forms: every number the shopper sends is checked here before a service sees it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import MAX_LINE_QUANTITY


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        error_messages={
            "invalid": _("Enter the quantity as a whole number."),
            "required": _("Enter the quantity."),
            "min_value": _("The quantity must be at least 1."),
            "max_value": _("At most %(limit_value)s pieces per product can be ordered."),
        },
    )


class AddToCartForm(QuantityForm):
    variant = forms.IntegerField(min_value=1, error_messages={"invalid": _("Unknown product.")})

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("quantity"):
            data = data.copy()
            data["quantity"] = "1"  # list cards send no quantity: one piece
        super().__init__(data, **kwargs)
