"""Sign-in merges the guest's session cart into the customer's stored cart (ORD-1)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="orders.merge_guest_cart")
def merge_guest_cart(sender, request, user, **kwargs):
    from . import services
    from .models import Cart
    from .selectors import GUEST_CART_SESSION_KEY

    if request is None or not hasattr(request, "session"):
        return
    # login() has already given the session a new key, so the guest cart is found by the id the session kept.
    cart_id = request.session.pop(GUEST_CART_SESSION_KEY, None)
    if cart_id is None:
        return
    guest_cart = Cart.objects.filter(pk=cart_id, user=None).first()
    if guest_cart is None:
        return
    user_cart = Cart.objects.get_or_create(user=user)[0]
    services.merge_carts(from_cart=guest_cart, into_cart=user_cart)
    if hasattr(request, "_cart_count"):
        del request._cart_count
