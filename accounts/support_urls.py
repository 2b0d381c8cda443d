"""The contact form "Создать обращение" (SUP-1)."""

from django.urls import path

from . import support_views

app_name = "support"
urlpatterns = [
    path("", support_views.contact, name="contact"),
    path("thanks/", support_views.thanks, name="thanks"),
]
