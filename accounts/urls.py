"""The personal cabinet under /cabinet/ (ACC-3). Everything here needs a signed-in customer."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("orders/", views.orders, name="orders"),
    path("returns/", views.returns, name="returns"),
    path("bonuses/", views.bonuses, name="bonuses"),
    path("profile/", views.profile, name="profile"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/add/", views.address_add, name="address_add"),
    path("addresses/<int:pk>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:pk>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<int:pk>/default/", views.address_make_default, name="address_default"),
    path("data/", views.my_data, name="data"),
    path("delete/", views.delete_account, name="delete"),
]
