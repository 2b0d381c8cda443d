"""The shop's own error pages (issue 16): 400, 403, 404, 500 and a refused CSRF check, in the visitor's language.

403 and 404 come in the whole layout (header, categories, footer). 400 and 500 come in a bare one rendered without
the request: a 400 means the request itself is malformed (a foreign Host, too many fields, an oversized body) and a
500 may mean the database is down, so neither page may read the request, the session or the database again.
The language is the one LocaleMiddleware took from the URL (/kk/..., /en/...) before the error happened."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def _home_in_each_language() -> list[dict]:
    """The language menu of an error page leads to the home page in each language: never back to the address that
    failed (it may hold a guessed secret token) and never to another error."""
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            url = reverse("shop:home")
        links.append({"code": code, "name": name, "url": url, "absolute": settings.SHOP_BASE_URL + url,
                      "current": False, "default": code == settings.LANGUAGE_CODE})
    return links


def _page(request, status: int, heading: str, explanation: str) -> HttpResponse:
    context = {"status": status, "heading": heading, "explanation": explanation,
               "language_links": _home_in_each_language(),
               "hide_consent_banner": True}  # its form would send the visitor back to the failed address
    response = render(request, "errors/page.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _bare_page(status: int, heading: str, explanation: str) -> HttpResponse:
    context = {"status": status, "heading": heading, "explanation": explanation, "SHOP_NAME": settings.SHOP_NAME}
    response = HttpResponse(render_to_string("errors/bare.html", context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Page not found"),
        _("There is no page at this address: it may have moved, or the link has a typo. Search the shop or start "
          "from the home page."),
    )


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("Access denied"),
        _("This page is not open to you. Sign in with the account it belongs to, or write to us if you think it "
          "is a mistake."),
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from a stale page or with cookies blocked; `reason` is for logs, not users."""
    return _page(
        request,
        403,
        _("The form has expired"),
        _("For your safety the form was not sent: the page was open too long or the browser blocks cookies. Go "
          "back, reload the page and send it again."),
    )


def bad_request(request, exception=None):
    return _bare_page(
        400,
        _("Bad request"),
        _("The shop could not understand this request. Check the address or start again from the home page."),
    )


def server_error(request):
    return _bare_page(
        500,
        _("Something went wrong on our side"),
        _("The error has been recorded and we are fixing it. Please try again in a few minutes; if it keeps "
          "happening, write to us."),
    )
