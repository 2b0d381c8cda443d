from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    """The bonus programme (LOY-1..10)."""

    name = "loyalty"
    verbose_name = _("Loyalty programme")

    def ready(self):
        from . import receivers  # noqa: F401  (ready() is where Django wants receivers connected)
