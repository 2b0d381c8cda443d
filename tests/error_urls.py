"""The shop's URL map plus /boom/, a page that crashes, for the 500 page's tests (issue 16)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from config import urls as shop_urls


def boom(request):
    raise RuntimeError("boom")


handler400, handler403, handler404, handler500 = (
    shop_urls.handler400, shop_urls.handler403, shop_urls.handler404, shop_urls.handler500
)
urlpatterns = [*shop_urls.urlpatterns, *i18n_patterns(path("boom/", boom), prefix_default_language=False)]
