from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Catalogue")

    def ready(self):
        # In ready(): importing the module connects the cache-invalidation receivers, once the models are loaded.
        from . import receivers  # noqa: F401
