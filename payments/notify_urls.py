"""Provider callbacks (no language prefix): {SHOP_BASE_URL}/payments/notify/<adapter>/<kind>/."""

from django.urls import path

from . import views

app_name = "payments_notify"

urlpatterns = [
    path("notify/<slug:adapter>/<slug:kind>/", views.notification, name="notify"),
]
