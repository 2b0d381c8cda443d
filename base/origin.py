"""Cross-site request forgery defence by origin, for the few forms that sit on pages cached for everyone.

Pages served from the shared page cache carry forms that change small, low-risk, visitor-owned
state: the cookie choice and "add to cart". A CSRF token there would mint a secret and a cookie for every new
visitor — the most expensive part of serving such a page. Browsers send `Origin` with every form POST (and
`Referer` where they don't), so a post from another site is recognised without a token (OWASP: "verifying
origin with standard headers"). Everything else keeps Django's token check."""

from functools import wraps

from django.conf import settings
from django.http import HttpResponseForbidden
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


def from_this_site(request) -> bool:
    """True when the request's Origin (or, lacking it, Referer) is this site or a trusted origin."""
    origin = request.headers.get("Origin")
    if origin:
        return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS
    referer = request.headers.get("Referer", "")
    return bool(referer) and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def same_origin_post(view):
    """Exempt `view` from the token check and refuse (403) any POST that does not come from this site."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not from_this_site(request):
            return HttpResponseForbidden(_("This form must be sent from this site."))
        return view(request, *args, **kwargs)

    return wrapper
