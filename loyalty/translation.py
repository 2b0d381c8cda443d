"""Translatable tier names (django-modeltranslation), as the catalogue does: one column per language, Russian as
fallback; customers see the tier in their language in the cabinet, at checkout and in mails."""

from modeltranslation.translator import TranslationOptions, register

from .models import Tier


@register(Tier)
class TierTranslation(TranslationOptions):
    fields = ("name",)
