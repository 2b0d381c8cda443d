"""Any catalogue change (and the seller's details, LEG-3) invalidates every cached catalogue fragment (see page_cache).

The version is bumped at once and again after commit: a page rebuilt between the save and the commit would
otherwise be cached, under the new version, with the old data."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Category, Page, Product, ProductImage, Review, SellerDetails, Variant
from .page_cache import bump_catalogue_version
from .search import refresh_search_documents


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Product)
@receiver([post_save, post_delete], sender=Variant)
@receiver([post_save, post_delete], sender=ProductImage)
@receiver([post_save, post_delete], sender=Page)
@receiver([post_save, post_delete], sender=SellerDetails)  # LEG-3: in every page's footer
@receiver([post_save, post_delete], sender=Review)  # approved reviews and ratings are on product pages
def catalogue_changed(sender, **kwargs):
    bump_catalogue_version()
    transaction.on_commit(bump_catalogue_version)


@receiver(post_save, sender=Product)
def product_saved(sender, instance, **kwargs):
    """CAT-5: the product's search document follows its names, brand and descriptions (issue 15)."""
    refresh_search_documents([instance.pk])


@receiver([post_save, post_delete], sender=Variant)
def variant_changed(sender, instance, **kwargs):
    """CAT-5: the product's SKUs are in its search document. A whole product deleted takes its variants along
    (the product row is gone first or at once: the UPDATE then changes nothing)."""
    refresh_search_documents([instance.product_id])
