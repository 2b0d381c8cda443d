"""The review form (CAT-4): a rating of 1 to 5 stars and a text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText

RATING_CHOICES = [
    (5, _("5 of 5 — excellent")),
    (4, _("4 of 5 — good")),
    (3, _("3 of 5 — average")),
    (2, _("2 of 5 — poor")),
    (1, _("1 of 5 — very poor")),
]
TEXT_MIN, TEXT_MAX = 10, 3000


class ReviewForm(RefusesUnsafeText, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    text = forms.CharField(
        label=_("Your review"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("From 10 to 3000 characters: what you liked, what you did not."),
    )

    def clean_text(self):
        return self.cleaned_data["text"].strip()
