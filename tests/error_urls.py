"""The shop's URL map plus /boom/, a page that crashes (the 500 page), and /upload/, a view that takes photos
(the body caps) — for the tests of issue 16."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from base.request_limits import accepts_uploads
from config import urls as shop_urls


def boom(request):
    raise RuntimeError("boom")


@csrf_exempt
@accepts_uploads
def upload(request):
    count = sum(len(request.FILES.getlist(name)) for name in request.FILES)
    return HttpResponse(f"{count} files", content_type="text/plain")


handler400, handler403, handler404, handler429, handler500 = (
    shop_urls.handler400,
    shop_urls.handler403,
    shop_urls.handler404,
    shop_urls.handler429,
    shop_urls.handler500,
)
urlpatterns = [
    *shop_urls.urlpatterns,
    *i18n_patterns(path("boom/", boom), path("upload/", upload), prefix_default_language=False),
]
