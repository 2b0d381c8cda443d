"""The sign-up form (ACC-1): allauth's e-mail and password, plus full name, the age declaration and the terms,
whose acceptance is stored as evidence (version, time, IP, browser)."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from base.ratelimit import client_ip
from base.request_text import RefusesUnsafeText
from shop.selectors import current_terms_version

from .models import TermsAcceptance

USER_AGENT_MAX_LENGTH = TermsAcceptance._meta.get_field("user_agent").max_length


class SignupForm(RefusesUnsafeText, AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=get_user_model()._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    age_confirmed = forms.BooleanField(
        label=_("I am 16 years of age or older"),
        error_messages={"required": _("Please confirm that you are 16 or older: younger people cannot register.")},
    )
    accept_terms = forms.BooleanField(
        label=_("I have read and accept the terms of sale"),
        error_messages={"required": _("Please accept the terms of sale to register.")},
    )

    field_order = ("email", "full_name", "password1", "password2", "age_confirmed", "accept_terms")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("E-mail")
        # allauth would cut a longer address to the column's length and register an address nobody owns
        email.max_length = get_user_model()._meta.get_field("email").max_length
        email.validators.append(MaxLengthValidator(email.max_length))
        email.widget.attrs["maxlength"] = str(email.max_length)
        self.fields["email"].widget.attrs.pop("placeholder", None)  # the label says it; a placeholder only repeats
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Password (again)")

    def clean_email(self):
        email = super().clean_email()
        # allauth compares lower-cased addresses; an address stored with capitals (e.g. typed in the admin) would
        # slip through it and then hit the case-insensitive unique constraint as a server error.
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise get_adapter().validation_error("email_taken")
        return email

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def save(self, request):
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user):
        """Called by allauth once the user row exists, inside our transaction."""
        super().custom_signup(request, user)
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_language = request_language()
        user.save(update_fields=["full_name", "preferred_language"])
        TermsAcceptance.objects.create(
            user=user,
            email=user.email,
            terms_version=current_terms_version(),
            context=TermsAcceptance.Context.SIGNUP,
            age_confirmed=self.cleaned_data["age_confirmed"],
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        )


def request_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class LoginForm(RefusesUnsafeText, AllauthLoginForm):
    """allauth's login form, labelled like our sign-up form ("E-mail", no placeholder repeating the label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
