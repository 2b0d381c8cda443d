"""What orders does when something happens elsewhere: sign-in merges the guest's session cart into the customer's
stored cart (ORD-1); a changed city starts a new catalogue version (checkout keeps the active cities per version)."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shop.catalogue_version import bump_catalogue_version

from .cart.services import merge_guest_cart


@receiver(user_logged_in, dispatch_uid="orders.merge_guest_cart")
def merge_guest_cart_on_login(sender, request, user, **kwargs):
    merge_guest_cart(request=request, user=user)


@receiver([post_save, post_delete], sender="orders.City", dispatch_uid="orders.city_changed")
def city_changed(sender, **kwargs):
    """Checkout pages keep the active cities per catalogue version (orders.delivery.selectors.active_cities): a
    changed city starts a new version, at once and after commit, like a catalogue change."""
    bump_catalogue_version()
    transaction.on_commit(bump_catalogue_version)
