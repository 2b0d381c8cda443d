"""Forms of the orders admin's intermediate pages: the reason for refusing or cancelling, tracking numbers for
shipping (SUP-2), and the terms of a coupon batch (CPN-1)."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime, FilteredSelectMultiple
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import Category

from .coupons import services as coupon_services
from .models import Coupon


class OrderActionForm(forms.Form):
    """Base of the forms that ask something before an action runs on `orders` (one, or a bulk selection)."""

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.orders = list(orders)

    def action_data(self) -> dict:
        return dict(self.cleaned_data)


class ReasonForm(OrderActionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("The customer receives it in the e-mail about the order."),
    )

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, orders=orders, **kwargs)
        if len(self.orders) == 1 and self.orders[0].cancellation_reason:
            # ORD-6: the customer's own words when they asked to cancel
            self.fields["reason"].initial = self.orders[0].cancellation_reason

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why: the customer receives it."))
        return reason


class ShipForm(OrderActionForm):
    """One tracking number per order (ORD-5: shipped orders carry theirs) and an optional common carrier."""

    carrier = forms.CharField(
        label=_("Carrier"), max_length=40, required=False, help_text=_("Optional, e.g. CDEK or Kazpost.")
    )

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, orders=orders, **kwargs)
        for order in self.orders:
            self.fields[self.tracking_field(order)] = forms.CharField(
                label=_("Tracking number of order %(number)s") % {"number": order.number},
                max_length=64,
                initial=order.tracking_number,
            )
        # the carrier after the numbers, in page order
        self.order_fields([*(self.tracking_field(o) for o in self.orders), "carrier"])

    @staticmethod
    def tracking_field(order) -> str:
        return f"tracking_{order.pk}"

    def clean(self):
        cleaned = super().clean()
        for order in self.orders:
            name = self.tracking_field(order)
            if name in cleaned and not cleaned[name].strip():
                self.add_error(name, _("Enter the tracking number."))
        return cleaned

    def action_data(self) -> dict:
        return {
            "carrier": self.cleaned_data.get("carrier", "").strip(),
            "tracking": {o.pk: self.cleaned_data[self.tracking_field(o)].strip() for o in self.orders},
        }


def _now():
    return timezone.now().replace(microsecond=0)


def _default_valid_until():
    return _now() + timedelta(days=settings.SHOP_COUPON_VALIDITY_DAYS)


class CouponBatchForm(forms.Form):
    """CPN-1: the terms every coupon of the batch shares; codes are drawn by coupon_services.generate_batch."""

    count = forms.IntegerField(
        label=_("Number of coupons"), min_value=1, max_value=coupon_services.MAX_BATCH_SIZE, initial=100
    )
    batch = forms.CharField(
        label=_("Batch label"), max_length=60, help_text=_("Names the batch in the list, e.g. “Newsletter May”.")
    )
    prefix = forms.CharField(
        label=_("Code prefix"),
        max_length=coupon_services.PREFIX_MAX_LENGTH,
        required=False,
        help_text=_("Optional Latin letters and digits: SPRING gives codes like SPRING-7KXQ2M9A."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Coupon.Kind.choices, initial=Coupon.Kind.PERCENT)
    value = forms.DecimalField(
        label=_("Value (percent or KZT)"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    min_goods_total = forms.DecimalField(
        label=_("Minimum goods total, KZT"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    valid_from = forms.SplitDateTimeField(label=_("Valid from"), widget=AdminSplitDateTime, initial=_now)
    valid_until = forms.SplitDateTimeField(
        label=_("Valid until"), widget=AdminSplitDateTime, initial=_default_valid_until
    )
    max_uses = forms.IntegerField(
        label=_("Uses of each code"), min_value=1, required=False, initial=1, help_text=_("Empty: unlimited.")
    )
    max_uses_per_customer = forms.IntegerField(
        label=_("Uses per customer (e-mail)"), min_value=1, required=False, initial=1, help_text=_("Empty: unlimited.")
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Only for categories"),
        queryset=Category.objects.all(),
        required=False,
        widget=FilteredSelectMultiple(_("categories"), is_stacked=False),
        help_text=_("Empty: every category. A category includes its subcategories."),
    )

    def clean_prefix(self):
        try:
            return coupon_services.clean_prefix(self.cleaned_data["prefix"])
        except coupon_services.CouponBatchError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_batch(self):
        batch = self.cleaned_data["batch"].strip()
        if Coupon.objects.filter(batch=batch).exists():
            raise forms.ValidationError(_("A batch with this label already exists; choose another label."))
        return batch

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind == Coupon.Kind.PERCENT and value is not None and value > 100:
            self.add_error("value", _("A percentage cannot exceed 100."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("The end of validity must come after its start."))
        return cleaned


class CouponAdminForm(forms.ModelForm):
    class Meta:
        model = Coupon
        fields = (
            "code",
            "kind",
            "value",
            "min_goods_total",
            "categories",
            "valid_from",
            "valid_until",
            "max_uses",
            "max_uses_per_customer",
            "is_active",
            "batch",
        )

    def clean_code(self):
        # Codes are stored in capitals (Coupon.save): the uniqueness check must see the stored form.
        return self.cleaned_data["code"].strip().upper()
