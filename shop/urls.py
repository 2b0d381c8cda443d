from django.urls import path

from . import consent, suggestions, views
from .review_views import review

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
    path("catalog/", views.catalogue, name="catalogue"),
    path("catalog/<slug:slug>/", views.category, name="category"),
    path("product/<slug:slug>/", views.product, name="product"),
    path("product/<slug:slug>/review/", review, name="review"),  # CAT-4
    path("search/", views.search, name="search"),
    path("search/suggest/", suggestions.suggest, name="suggest"),  # issue 15: as-you-type, JSON
    path("pages/<slug:slug>/", views.page, name="page"),
    path("cookie-consent/", consent.choose, name="consent"),  # LEG-2
    path("cookie-settings/", consent.cookie_settings, name="cookie_settings"),
]
