"""Request bodies capped by what the URL accepts (issue 16): a 413 before anything reads an oversized body.

Django's own DATA_UPLOAD_MAX_MEMORY_SIZE counts only form fields, not uploaded files, so a 20 MB multipart post
to a text-only form would otherwise be parsed into temporary files. Every view accepts SHOP_MAX_REQUEST_BYTES;
views that take photos (a return request, a warranty claim: up to 5 × 10 MB) are marked with `@accepts_uploads`
and accept SHOP_UPLOAD_MAX_REQUEST_BYTES, as does the admin for staff (product images)."""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

UPLOADS_ATTR = "accepts_uploads"


def accepts_uploads(view):
    """Mark a view that takes uploaded files: its requests may carry up to SHOP_UPLOAD_MAX_REQUEST_BYTES."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    setattr(wrapper, UPLOADS_ATTR, True)
    return wrapper


def body_limit(request, view_func) -> int:
    """The largest body this request may carry, in bytes."""
    match = request.resolver_match
    takes_uploads = getattr(view_func, UPLOADS_ATTR, False) or (
        match is not None and match.app_name == "admin" and request.user.is_staff
    )
    return settings.SHOP_UPLOAD_MAX_REQUEST_BYTES if takes_uploads else settings.SHOP_MAX_REQUEST_BYTES


def declared_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django reads no body it cannot measure


class RequestBodyLimitMiddleware:
    """Must come before CsrfViewMiddleware, whose process_view reads the POST body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = body_limit(request, view_func)
        if declared_length(request) <= limit:
            return None
        context = {
            "status": 413,
            "heading": _("Too much at once"),
            "explanation": _("What you sent is larger than this page accepts (up to %(size)s). Send smaller or "
                             "fewer files.") % {"size": filesizeformat(limit)},
            "SHOP_NAME": settings.SHOP_NAME,
        }
        response = HttpResponse(render_to_string("errors/bare.html", context), status=413)
        return response
