from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .staff_groups import sync_after_migrate  # in ready(): it imports auth's models, loaded by now

        # STAFF-1: the Support and Finance groups get their permissions on every migrate (accounts/staff_groups.py)
        post_migrate.connect(sync_after_migrate, dispatch_uid="accounts.sync_staff_groups")
