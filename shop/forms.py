"""Query-string forms for the storefront: bad input is reported and ignored, never a 500."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText

SORT_CHOICES = [
    ("popular", _("Popular first")),
    ("new", _("Newest first")),
    ("price_asc", _("Cheapest first")),
    ("price_desc", _("Most expensive first")),
    ("name", _("By name")),
]


class ProductFilterForm(RefusesUnsafeText, forms.Form):
    min_price = forms.DecimalField(
        label=_("Price from, ₸"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    max_price = forms.DecimalField(
        label=_("Price to, ₸"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    on_sale = forms.BooleanField(label=_("On sale"), required=False)
    brand = forms.MultipleChoiceField(label=_("Brand"), required=False, widget=forms.CheckboxSelectMultiple)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, brands=(), extra_sorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [(b, b) for b in brands]
        self.fields["sort"].choices = [*extra_sorts, *SORT_CHOICES]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("“Price from” must not be above “price to”."))
        return data

    def filters(self) -> dict:
        """The valid filters; an invalid form filters nothing (its errors are shown instead)."""
        if not self.is_valid():
            return {"sort": self.fields["sort"].choices[0][0]}
        data = self.cleaned_data
        return {
            "min_price": data.get("min_price"),
            "max_price": data.get("max_price"),
            "in_stock": bool(data.get("in_stock")),
            "on_sale": bool(data.get("on_sale")),
            "brands": data.get("brand") or [],
            "sort": data.get("sort") or self.fields["sort"].choices[0][0],
        }


class SearchForm(RefusesUnsafeText, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
