"""URL map: operational endpoints at the root; shopper pages under a language prefix (ru has none)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from . import views

# allauth's rate limits other than failed logins answer with this page in our layout
handler429 = "accounts.adapter.too_many_requests"
# issue 16: the shop's own error pages in the visitor's language (config/errors.py)
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("bench/hello", views.hello, name="hello"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("payments/", include("payments.notify_urls")),  # provider callbacks: no language prefix
]
if settings.SHOP_PAYMENT_SANDBOX:
    urlpatterns.append(path("payments/sandbox/", include("payments.sandbox.urls")))

urlpatterns += i18n_patterns(
    path("", include("shop.urls")),  # first: the storefront is the hot path of URL resolving
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("cabinet/", include("accounts.urls")),
    path("", include("orders.urls")),  # cart/, checkout/, orders/
    path("", include("payments.urls")),  # payments/o/<token>/
    path("contact/", include("accounts.support_urls")),
    path("warranty/", include("returns.warranty.urls")),  # issue 12: warranty claims and documents
    path("", include("returns.urls")),  # issue 11: returns/ (an order's returns, guests' lookup)
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    # Small shops serve product images from the app; large ones put a CDN or nginx in front (README).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.media),
    ]
