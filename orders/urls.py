from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.cart, name="cart"),
    path("add/", views.add, name="add"),
    path("line/<int:line_id>/", views.update_line, name="update_line"),
    path("line/<int:line_id>/remove/", views.remove_line, name="remove_line"),
]
