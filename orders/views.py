"""Cart pages. The orders issue builds the cart, checkout and order history on this app."""

from django.shortcuts import render

from .context_processors import SESSION_CART_KEY


def cart(request):
    has_lines = bool(request.session.session_key and request.session.get(SESSION_CART_KEY))
    return render(request, "orders/cart.html", {"has_lines": has_lines})
