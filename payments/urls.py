"""The customer's payment pages, under the order's secret link (language-prefixed like the rest of the shop)."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/o/<str:token>/", views.pay, name="pay"),
    path("payments/o/<str:token>/result/", views.result, name="result"),
    path("payments/o/<str:token>/method/", views.switch_method, name="switch_method"),
]
