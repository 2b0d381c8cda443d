"""PAY-6: the fake gateways, mounted at /payments/sandbox/ only when SHOP_PAYMENT_SANDBOX is on."""

from django.urls import include, path

urlpatterns = [
    path("cloudpayments/", include("payments.sandbox.cloudpayments")),
    path("epay/", include("payments.sandbox.epay")),
    path("kaspi/", include("payments.sandbox.kaspi")),
]
