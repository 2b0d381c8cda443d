"""The forms behind the returns admin's pages (SUP-2): send a refund, a bank transfer made, an inspection's decision."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText


class SendRefundForm(RefusesUnsafeText, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to send, KZT"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("All that is left, or a part of it."),
    )

    def __init__(self, *args, left: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.left = left
        self.fields["amount"].max_value = left
        self.fields["amount"].initial = left
        self.fields["amount"].widget.attrs["max"] = str(left)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > self.left:
            raise forms.ValidationError(_("At most %(left)s is left to send.") % {"left": self.left})
        return amount


class TransferDoneForm(RefusesUnsafeText, forms.Form):
    reference = forms.CharField(label=_("Bank transfer reference"), max_length=100)


def replacement_field(**kwargs) -> forms.TypedChoiceField:
    """RET-8/WAR-4: the replacement picked from the catalogue — a select of the variants the page's search found
    (`returns.exchange.replacement_choices`), never a typed id."""
    return forms.TypedChoiceField(
        label=_("Exchange: the replacement"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Search the catalogue above by name or SKU; the returned item itself makes an exchange for the same item."
        ),
        **kwargs,
    )


class InspectForm(RefusesUnsafeText, forms.Form):
    ACCEPT, DEDUCT, REJECT, EXCHANGE = "accept", "deduct", "reject", "exchange"
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (ACCEPT, _("Accept: refund in full")),
            (DEDUCT, _("Accept with a deduction for damage")),
            (REJECT, _("Reject: not in saleable condition (the goods go back)")),
            (EXCHANGE, _("Exchange instead of a refund")),
        ],
    )
    deduction = forms.DecimalField(
        label=_("Deduction, KZT"), required=False, max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    replacement = replacement_field()
    quantity = forms.IntegerField(label=_("Exchange: units to hand out"), required=False, min_value=1)
    reason = forms.CharField(
        label=_("Reason (deduction, rejection) or note (exchange)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, replacements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].choices = [("", "—"), *replacements]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.EXCHANGE and not data.get("replacement"):
            self.add_error("replacement", _("Choose the replacement."))
        if decision == self.EXCHANGE and not data.get("quantity"):
            self.add_error("quantity", _("Give how many units to hand out."))
        if decision == self.DEDUCT and not data.get("deduction"):
            self.add_error("deduction", _("Give the amount of the deduction."))
        if decision in (self.DEDUCT, self.REJECT) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the documented reason."))
        return data
