"""Middleware of the composition root (issue 16): the shop's 404 page under DEBUG, security and cache headers."""

from django.conf import settings
from django.http import Http404
from whitenoise.middleware import WhiteNoiseMiddleware

from . import errors


class ShopNotFoundPageInDebug:
    """Under DEBUG (`make run`) Django answers an unknown address or an Http404 with its yellow technical page;
    this answers with the shop's own 404 page instead, as production does. Without DEBUG it does nothing: Django
    calls `handler404` itself. A view's own 404 answer (a JSON reply to a provider) is left alone: only an address
    no URL matched and an Http404 raised by a view are replaced."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return errors.page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return errors.page_not_found(request, exception)
        return None


class SecurityHeaders:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy (no camera, microphone, location...;
    the Payment Request API only for this site and the payment providers' widgets) and
    Cross-Origin-Resource-Policy (other sites cannot embed the shop's pages, images or files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SHOP_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.SHOP_PERMISSIONS_POLICY)
        if settings.SHOP_CROSS_ORIGIN_RESOURCE_POLICY:
            response.headers.setdefault("Cross-Origin-Resource-Policy", settings.SHOP_CROSS_ORIGIN_RESOURCE_POLICY)
        return response


class HtmlCacheControl:
    """An explicit Cache-Control on every HTML page that has none of its own. Every page carries something
    personal (the cart count, the account link, a CSRF token), so no page is ever stored by a shared cache:
    `private` always; `no-store` when the visitor is signed in or has a session (a cart, messages), else
    `no-cache` (the browser may keep the page for back/forward but asks again before reusing it).
    Views that decide for themselves (never_cache on the cabinet, checkout and order pages) are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response or not response.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        personal = bool(user is not None and user.is_authenticated) or bool(session is not None and session.session_key)
        response["Cache-Control"] = "private, no-store" if personal else "private, no-cache"
        return response


class StaticFiles(WhiteNoiseMiddleware):
    """WhiteNoise, serving static files. The names the manifest storage hashes (production) never change content,
    so they are sent `public, max-age=<a year>, immutable` (settings.SHOP_IMMUTABLE_MAX_AGE, the same as product
    images; WhiteNoise's own is ten years); other files keep WhiteNoise's short max-age (issue 16, item 8)."""

    def __init__(self, get_response=None, settings=settings):
        self.FOREVER = settings.SHOP_IMMUTABLE_MAX_AGE
        super().__init__(get_response, settings=settings)
