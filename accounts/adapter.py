"""How django-allauth fits the shop: its mails leave through our Celery task, in the visitor's language, from
our templates (templates/mail/account/); its messages and redirects speak our words and keep the language."""

import datetime
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_display
from allauth.core import context as allauth_context
from django.conf import settings
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from base.mail import queue_email

logger = logging.getLogger(__name__)

# allauth ships no Kazakh catalogue. The strings of its forms that reach our pages are listed here so that
# `makemessages` copies them into ours (LOCALE_PATHS win over allauth's own catalogue in every language).
ALLAUTH_FORM_STRINGS = (
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Remember Me"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Current Password"),
    gettext_noop("You must type the same password each time."),
)

# Values of allauth's mail contexts that are objects: the task gets strings made from them instead.
_OBJECT_KEYS = {"request", "user", "current_site", "emailconfirmation", "email_address"}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is currently inactive."),
        "email_password_mismatch": _("The e-mail address and/or password you entered are not correct."),
        "email_taken": _("An account with this e-mail address already exists. Sign in or reset your password."),
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Please wait a few minutes and try again, or reset your password."
        ),
        "unknown_email": _("No account uses this e-mail address."),
        "invalid_password_reset": _("The password reset link is invalid or has expired."),
        "rate_limited": _("Too many requests. Please wait a little and try again."),
        "incorrect_password": _("Incorrect password."),
        "enter_current_password": _("Please enter your current password."),
        "same_as_current": _("The new value must be different from the current one."),
        "duplicate_email": _("This e-mail address is already on your account."),
        "unverified_primary_email": _("Your e-mail address must be confirmed first."),
        "cannot_remove_primary_email": _("You cannot remove your main e-mail address."),
    }

    # --- mail -------------------------------------------------------------------------------------------------
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Queue the mail on the Celery task (after commit) instead of sending it inside the request.

        allauth names its mails "account/email/<name>"; ours live at "mail/account/<name>". A mail we have no
        template for (a feature switched on later) is sent the allauth way so it is never lost, and logged."""
        request = allauth_context.request
        template = "mail/" + template_prefix.replace("/email/", "/", 1)
        try:
            get_template(f"{template}_subject.txt")
        except TemplateDoesNotExist:
            logger.error("no shop template for allauth mail %s: sent synchronously", template_prefix)
            super().send_mail(template_prefix, email, context)
            return
        queue_email(
            template=template,
            to=email,
            context=self.mail_context(request, email, context),
            language=self._mail_language(request, context.get("user")),
        )

    def mail_context(self, request, email: str, context: dict) -> dict:
        """allauth's context made JSON-serialisable: URLs and names rendered to strings now, in the request."""
        values = {
            "email": email,
            "shop_name": settings.SHOP_NAME,
            "shop_url": request.build_absolute_uri(reverse("shop:home")) if request else "",
        }
        user = context.get("user")
        if user is not None:
            values["user_display"] = user_display(user)
            values["full_name"] = getattr(user, "full_name", "")
        for key, value in context.items():
            if key in _OBJECT_KEYS:
                continue
            if value is None or isinstance(value, str | int | float | bool):
                values[key] = value
            elif isinstance(value, datetime.datetime):
                values[key] = timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
            else:
                values[key] = str(value)
        return values

    @staticmethod
    def _mail_language(request, user) -> str:
        """The language of the page the visitor is on; without a request, the customer's own choice."""
        language = translation.get_language() if request is not None else None
        if not language and user is not None:
            language = getattr(user, "preferred_language", None)
        return language or settings.LANGUAGE_CODE

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Security notices (password changed, e-mail changed): greet the customer by name."""
        super().send_notification_mail(template_prefix, user, {**(context or {}), "user": user}, email)

    # --- redirects --------------------------------------------------------------------------------------------
    def get_login_redirect_url(self, request) -> str:
        """LOGIN_REDIRECT_URL is a path of the default language: keep the visitor in the language they use."""
        url, language = super().get_login_redirect_url(request), translation.get_language()
        with translation.override(settings.LANGUAGE_CODE):  # the path resolves only in its own language
            return translate_url(url, language)


def display_name(user) -> str:
    """How allauth names a customer (ACCOUNT_USER_DISPLAY): the full name, else the e-mail."""
    return getattr(user, "full_name", "") or getattr(user, "email", "") or str(user)


def too_many_requests(request):
    """allauth's answer once one of its rate limits is reached (ACC-4), in the shop's layout: HTTP 429.
    allauth looks for it as `handler429` in the root URLconf."""
    return render(request, "account/too_many_requests.html", status=429)
