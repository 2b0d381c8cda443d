from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Withdrawals (RET), warranty claims (WAR) and refunds (REF): built by the returns issue."""

    name = "returns"
    verbose_name = _("Returns and claims")

    def ready(self):
        from . import receivers  # noqa: F401  (ready() is where Django wants receivers connected)
