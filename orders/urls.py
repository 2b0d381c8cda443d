from django.urls import path

from . import views
from .cart import views as cart_views
from .checkout import views as checkout_views

app_name = "orders"
urlpatterns = [
    # Cart (ORD-1)
    path("cart/", cart_views.cart, name="cart"),
    path("cart/add/", cart_views.add, name="add"),
    path("cart/line/<int:line_id>/", cart_views.update_line, name="update_line"),
    path("cart/line/<int:line_id>/remove/", cart_views.remove_line, name="remove_line"),
    # Checkout (ORD-2, CPN-1..2, DLV-1..4)
    path("checkout/", checkout_views.checkout, name="checkout"),
    path("checkout/quote/", checkout_views.quote, name="checkout_quote"),
    path("checkout/coupon/", checkout_views.coupon, name="checkout_coupon"),
    # Orders (ORD-5..7): the secret link, lookup by number + e-mail, the cabinet's list lives in accounts
    path("orders/o/<str:token>/", views.order_detail, name="detail"),
    path("orders/o/<str:token>/cancel/", views.request_cancellation, name="request_cancellation"),
    path("orders/find/", views.find_order, name="find"),
]
