"""Translatable catalogue fields (django-modeltranslation): one column per language, Russian as fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Page, Product, ProductImage, SellerDetails, Variant


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = ("name", "description", "non_returnable_note")


@register(Variant)
class VariantTranslation(TranslationOptions):
    fields = ("name",)


@register(ProductImage)
class ProductImageTranslation(TranslationOptions):
    fields = ("alt",)


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "body")


@register(SellerDetails)
class SellerDetailsTranslation(TranslationOptions):
    fields = ("company_name", "legal_address", "bank_name", "opening_hours")
