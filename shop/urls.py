from django.urls import path

from . import views

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
    path("catalog/", views.catalogue, name="catalogue"),
    path("catalog/<slug:slug>/", views.category, name="category"),
    path("product/<slug:slug>/", views.product, name="product"),
    path("search/", views.search, name="search"),
    path("pages/<slug:slug>/", views.page, name="page"),
]
