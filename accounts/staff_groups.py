"""Staff groups with least privilege (STAFF-1, SUP-2): what Support and Finance may do, kept as data here and
synced into Django's groups after every `migrate` and by `seed_demo`.

Permissions are named as "app_label.codename" strings, so this module imports no other app: the apps own their
models and permissions, this table only hands them out. Syncing is exact — a group ends up with precisely the
permissions listed (anything added by hand in the admin is taken away again), so the table is the one place to
read or change what a role may do."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

log = logging.getLogger(__name__)

SUPPORT = "Support"
FINANCE = "Finance"

# Reading the catalogue, to answer customers' questions about goods.
_CATALOGUE_VIEW = frozenset({"shop.view_category", "shop.view_product", "shop.view_variant", "shop.view_productimage"})

# STAFF-1: finance-only rights — never given to Support: sending money back through the payment provider (PAY-7).
# Issue 13 (FIN-1): opening and exporting the refund report (returns.report) is finance-only too; issue 11: so is
# marking a cash refund done (REF-4: the bank transfer is made).
FINANCE_ONLY: frozenset[str] = frozenset(
    {"payments.refund_payment", "returns.view_refund_report", "returns.mark_cash_refund_done"}
)
# Both roles read payments with their provider event log and refunds (SUP-2: "where is my money?").
_PAYMENTS_VIEW = frozenset({"payments.view_payment", "payments.view_paymentevent", "payments.view_paymentrefund"})
# Issue 11: both roles read the returns queue with its lines, photos and history; and the exchanges made on
# requests and claims (RET-8, WAR-4: made by Support through `returns.decide_return` / act_on_warrantyclaim only).
_RETURNS_VIEW = frozenset(
    {
        "returns.view_returnrequest",
        "returns.view_returnline",
        "returns.view_returnphoto",
        "returns.view_returnevent",
        "returns.view_exchange",
    }
)

# Issue 12: both roles read the warranty claims register (Support also acts on it, Finance only looks).
_WARRANTY_VIEW = frozenset(
    {"returns.view_warrantyclaim", "returns.view_warrantyclaimevent", "returns.view_warrantyattachment"}
)

STAFF_GROUPS: dict[str, frozenset[str]] = {
    # SUP-2: support works the orders (confirm/refuse, cancel, ship and deliver, cash-on-delivery paid), the
    # contact-form queue, and looks up coupons and refunds. Orders themselves stay frozen: "change" only lets
    # them move an order along its flow (assembling, completed) through the admin's actions.
    SUPPORT: frozenset(
        {
            "orders.view_order",
            "orders.change_order",
            "orders.confirm_order",
            "orders.cancel_order",
            "orders.ship_order",
            "orders.mark_order_paid",
            "orders.view_orderline",
            "orders.view_orderevent",
            "orders.view_coupon",
            "returns.view_refund",
            "returns.view_refundline",
            "accounts.view_supportticket",
            "accounts.change_supportticket",
            # issue 14: bonus accounts read-only, adjustments within SHOP_LOYALTY_SUPPORT_ADJUST_LIMIT
            "loyalty.view_bonusaccount",
            "loyalty.view_bonuslot",
            "loyalty.view_bonusentry",
            "loyalty.view_pendingaccrual",
            "loyalty.adjust_bonuses",
            "returns.act_on_warrantyclaim",  # issue 12: examine, resolve, reject warranty claims (SUP-2)
            "returns.decide_return",  # issue 11, SUP-2: receive, inspect, exchange
            # issue 16: answering tickets in their thread, and reading the account a ticket links to
            "accounts.view_supportreply",
            "accounts.add_supportreply",
            "accounts.view_user",
            "accounts.view_address",
        }
        | _WARRANTY_VIEW
        | _CATALOGUE_VIEW
        | _PAYMENTS_VIEW
        | _RETURNS_VIEW
    ),
    # FIN-1 / STAFF-1: finance reads orders, refunds and coupons; it changes nothing and runs no order action.
    FINANCE: frozenset(
        {
            "orders.view_order",
            "orders.view_orderline",
            "orders.view_orderevent",
            "orders.view_coupon",
            "returns.view_refund",
            "returns.view_refundline",
        }
        | _WARRANTY_VIEW
        | _PAYMENTS_VIEW
        | _RETURNS_VIEW
        | FINANCE_ONLY
    ),
}


@dataclass(frozen=True)
class GroupSync:
    name: str
    outcome: str  # "created" | "updated" | "unchanged"
    missing: tuple[str, ...]  # listed permissions that do not exist (an app not migrated yet, or a typo)


def sync_staff_groups(*, using: str = DEFAULT_DB_ALIAS) -> list[GroupSync]:
    """Create the groups if needed and give each exactly its listed permissions. Idempotent: a second call
    writes nothing."""
    wanted = set().union(*STAFF_GROUPS.values())
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(codename__in={key.split(".", 1)[1] for key in wanted})
        .values_list("pk", "content_type__app_label", "codename")
    }
    results = []
    with transaction.atomic(using=using):
        for name, keys in STAFF_GROUPS.items():
            group, created = Group.objects.using(using).get_or_create(name=name)
            target = {found[key] for key in keys if key in found}
            missing = tuple(sorted(key for key in keys if key not in found))
            if missing:
                log.warning("Staff group %s: no such permissions %s", name, ", ".join(missing))
            current = set(group.permissions.values_list("pk", flat=True))
            if current != target:
                group.permissions.set(target)
            outcome = "created" if created else ("updated" if current != target else "unchanged")
            results.append(GroupSync(name=name, outcome=outcome, missing=missing))
    return results


def sync_after_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: runs once per migrate, after the last app's permissions have been created
    (post_migrate is sent app by app, in INSTALLED_APPS order)."""
    with_models = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if app_config is None or not with_models or app_config.label != with_models[-1].label:
        return
    if not router.allow_migrate_model(using, Group):
        return
    if Group._meta.db_table not in connections[using].introspection.table_names():
        return  # auth not migrated (e.g. `migrate contenttypes` alone)
    sync_staff_groups(using=using)
