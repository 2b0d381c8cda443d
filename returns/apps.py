from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Withdrawals (RET), warranty claims (WAR) and refunds (REF): built by the returns issue."""

    name = "returns"
    verbose_name = _("Returns and claims")

    def import_models(self):
        """The warranty claims register (issue 12) lives in returns/warranty/models.py under this app's label: it is
        loaded here, with returns/models.py, rather than imported by returns/models.py — the warranty package uses
        the refunds (returns.services, returns.models), so the refunds must not depend on it."""
        super().import_models()
        from .warranty import models  # noqa: F401  (models load in the registry's models phase, not at import time)

    def ready(self):
        from . import receivers  # noqa: F401  (ready() is where Django wants receivers connected)
