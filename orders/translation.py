"""Translatable delivery reference data (django-modeltranslation): city and pickup point names in ru/kk/en."""

from modeltranslation.translator import TranslationOptions, register

from .models import City, PickupPoint, Store


@register(City)
class CityTranslation(TranslationOptions):
    fields = ("name", "region")


@register(PickupPoint)
class PickupPointTranslation(TranslationOptions):
    fields = ("name", "address", "hours")


@register(Store)
class StoreTranslation(TranslationOptions):
    fields = ("name", "address")
