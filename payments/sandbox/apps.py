from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    """PAY-6: local fake gateways speaking each provider's message shapes (off in production)."""

    name = "payments.sandbox"
    label = "payments_sandbox"
    verbose_name = _("Payment sandbox")
    default_auto_field = "django.db.models.BigAutoField"
