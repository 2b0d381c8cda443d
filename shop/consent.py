"""Cookie consent (LEG-2): the visitor's choice in a cookie, the banner until there is one, analytics after "yes".

Necessary cookies (session, CSRF, the consent cookie itself) need no consent; analytics ones do. The choice lives
in a cookie, not the session, so a cached page can be completed without touching the database, and it works for
guests. Pages are cached whole for every visitor (shop/page_cache.py): the banner and the analytics block are
placeholders there, filled per request by `banner_html()` and `analytics_html()` from variants rendered once per
language. Everything works without JavaScript (a plain form POST and a redirect); shop.js only posts it in the
background and hides the banner.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from base.origin import same_origin_post

NECESSARY = "necessary"
ANALYTICS = "analytics"
CHOICES = (NECESSARY, ANALYTICS)

BANNER_PLACEHOLDER = "<!--personal:consent-->"
ANALYTICS_PLACEHOLDER = "<!--personal:analytics-->"
NEXT_PLACEHOLDER = "__consent_next_placeholder__"


def visitor_choice(request) -> str | None:
    """The choice ("necessary" or "analytics"), or None if the visitor has not chosen or the cookie is garbage."""
    value = request.COOKIES.get(settings.SHOP_CONSENT_COOKIE)
    return value if value in CHOICES else None


@lru_cache(maxsize=16)
def _banner(language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "_consent_banner.html", {"next_value": NEXT_PLACEHOLDER}
        )


@lru_cache(maxsize=4)
def _analytics(snippet: str) -> str:
    return render_to_string("_analytics.html", {"snippet": snippet})


def banner_html(request) -> str:
    """The consent banner for a visitor who has not chosen yet; empty once they have."""
    if visitor_choice(request):
        return ""
    html = _banner(translation.get_language() or settings.LANGUAGE_CODE)
    return html.replace(NEXT_PLACEHOLDER, escape(request.get_full_path()), 1)


def analytics_html(request) -> str:
    """The analytics block, only for a visitor who accepted analytics cookies. Its scripts (ours and the operator's
    snippet) carry this response's Content-Security-Policy nonce, the one way an inline script may run."""
    if visitor_choice(request) != ANALYTICS:
        return ""
    html = _analytics(settings.SHOP_ANALYTICS_SNIPPET)
    nonce = getattr(request, "csp_nonce", None)
    return html.replace("<script", f'<script nonce="{escape(str(nonce))}"') if nonce is not None else html


def remember_choice(response, choice: str) -> None:
    response.set_cookie(
        settings.SHOP_CONSENT_COOKIE,
        choice,
        max_age=settings.SHOP_CONSENT_COOKIE_AGE,
        domain=settings.SESSION_COOKIE_DOMAIN,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    if choice == NECESSARY:  # consent withdrawn: what the analytics snippet stored goes too
        for name in settings.SHOP_ANALYTICS_COOKIES:
            response.delete_cookie(name, domain=settings.SESSION_COOKIE_DOMAIN)


def _back_to(request) -> str:
    """Where to return after choosing: the page the form was on if it is ours, else the home page."""
    for candidate in (request.POST.get("next", ""), request.headers.get("Referer", "")):
        if (
            candidate
            and url_has_allowed_host_and_scheme(
                candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            and urlsplit(candidate).path != request.path
        ):
            return candidate
    return reverse("shop:home")


@same_origin_post  # the banner is on shared cached pages: checked by origin, not a token (base/origin.py)
@require_POST
def choose(request):
    """Store the visitor's choice and go back; `Accept: application/json` (shop.js) gets JSON instead."""
    choice = request.POST.get("choice", "")
    if choice not in CHOICES:
        return HttpResponseBadRequest(_("Choose “Necessary only” or “Accept analytics”."))
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"consent": choice})
    else:
        response = HttpResponseRedirect(_back_to(request))
        messages.success(request, _("Your cookie choice is saved. You can change it at any time in Cookie settings."))
    remember_choice(response, choice)
    return response


@require_GET
def cookie_settings(request):
    """Change the choice later (linked from every page's footer): the banner's form, with the current choice."""
    context = {"title": _("Cookie settings"), "choice": visitor_choice(request), "hide_consent_banner": True}
    return render(request, "shop/cookie_settings.html", context)
