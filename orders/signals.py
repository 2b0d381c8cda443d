"""Sign-in merges the guest's session cart into the customer's stored cart (ORD-1); city changes start a new
catalogue version."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
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


@receiver([post_save, post_delete], sender="orders.City", dispatch_uid="orders.city_changed")
def city_changed(sender, **kwargs):
    """Checkout pages keep the active cities per catalogue version (orders.selectors.active_cities): a changed city
    starts a new version, at once and after commit, like a catalogue change."""
    from shop.page_cache import bump_catalogue_version

    bump_catalogue_version()
    transaction.on_commit(bump_catalogue_version)
