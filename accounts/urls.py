"""The personal cabinet under /cabinet/ (ACC-3). Everything here needs a signed-in customer.

accounts' own pages are listed here; the sections other apps contribute (SHOP_CABINET_SECTIONS: my orders,
returns and claims, bonus account) bring theirs, named in this namespace (accounts:orders, ...)."""

from django.urls import path

from . import views
from .cabinet import section_urlpatterns

app_name = "accounts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("profile/", views.profile, name="profile"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/add/", views.address_add, name="address_add"),
    path("addresses/<int:pk>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:pk>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<int:pk>/default/", views.address_make_default, name="address_default"),
    path("data/", views.my_data, name="data"),
    path("delete/", views.delete_account, name="delete"),
    *section_urlpatterns(),
]
