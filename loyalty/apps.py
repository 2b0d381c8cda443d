from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    """The bonus programme (LOY): built by the loyalty issue."""

    name = "loyalty"
    verbose_name = _("Loyalty programme")
