"""Middleware of the composition root (issue 16): the shop's 404 page under DEBUG."""

from django.conf import settings
from django.http import Http404

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
