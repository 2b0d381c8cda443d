from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("returns/find/", views.find_order_to_return, name="find"),
    path("returns/o/<str:token>/", views.order_returns, name="order"),
    path("returns/o/<str:token>/<str:number>/cancel/", views.cancel_request, name="cancel"),
    path("returns/o/<str:token>/<str:number>/sent/", views.parcel_sent, name="sent"),
    path("returns/o/<str:token>/<str:number>/form.pdf", views.request_form_pdf, name="request_pdf"),
]
