"""FIN-1: the report's filters as a GET form. Whatever the query string holds, a bad value is a form error on the
page (never a 500); a missing period is the current month so far."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from base.workdays import shop_tz
from orders.admin import payment_label
from orders.payment_methods import all_adapters

from ..models import Refund
from .selectors import CLAIMED, OVERDUE, REFUNDED, RefundFilter

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)  # beyond these a date is a typo, not a period


def method_choices() -> list[tuple[str, str]]:
    return [(code, payment_label(code)) for code in all_adapters()]


def status_choices() -> list[tuple[str, str]]:
    return [*Refund.Status.choices, (OVERDUE, _("Overdue (past the deadline, not done)"))]


class RefundReportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    period = forms.ChoiceField(
        label=_("Period by"), choices=[(CLAIMED, _("claimed at")), (REFUNDED, _("refunded at"))], initial=CLAIMED
    )
    method = forms.MultipleChoiceField(
        label=_("Payment method"), required=False, choices=method_choices, widget=forms.CheckboxSelectMultiple
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=status_choices, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.MultipleChoiceField(
        label=_("Reason"), required=False, choices=Refund.Reason.choices, widget=forms.CheckboxSelectMultiple
    )

    @classmethod
    def from_query(cls, query):
        """The form bound to a query string; the month so far fills a period that is not given at all."""
        data = query.copy()
        today = timezone.localdate(timezone=shop_tz())
        if "date_from" not in data and "date_to" not in data:
            data["date_from"] = today.replace(day=1).isoformat()
            data["date_to"] = today.isoformat()
        data.setdefault("period", CLAIMED)
        return cls(data)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        for name, value in (("date_from", start), ("date_to", end)):
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def to_filter(self) -> RefundFilter:
        data = self.cleaned_data
        return RefundFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            period=data["period"],
            methods=tuple(data["method"]),
            statuses=tuple(data["status"]),
            reasons=tuple(data["reason"]),
        )
