from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payment adapters (PAY): built by the payments issue."""

    name = "payments"
    verbose_name = _("Payments")
