"""Staff groups with least privilege (STAFF-1, SUP-2): Support works orders in the admin, Finance only reads,
customers never get in; the groups are synced from accounts/staff_groups.py after migrate and by seed_demo."""

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from accounts import staff_groups
from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderEvent, OrderStatus
from returns.models import Refund
from tests import factories as f

pytestmark = pytest.mark.django_db

ORDER_ACTION_PERMS = {"confirm_order", "cancel_order", "ship_order", "mark_order_paid"}


def perms_of(name: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    }


def member(django_user_model, group: str, email: str):
    user = django_user_model.objects.create_user(email=email, password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture(autouse=True)
def _english():
    """The admin in English (/en/admin/...), whatever language an earlier test left active: messages are
    asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture
def support(client, django_user_model):
    client.force_login(member(django_user_model, "Support", "support@example.kz"))
    return client


@pytest.fixture
def finance(client, django_user_model):
    client.force_login(member(django_user_model, "Finance", "finance@example.kz"))
    return client


def change_url(order):
    return reverse("admin:orders_order_change", args=[order.pk])


def action_url(order, action):
    return reverse("admin:orders_order_action", args=[order.pk, action])


def status_of(order):
    return Order.objects.get(pk=order.pk).status


# --- the groups as data -------------------------------------------------------------------------------------------


def test_staff1_migrate_creates_both_groups_with_exactly_their_permissions():
    """post_migrate ran when the test database was built: the groups hold what the table lists, and every
    listed permission exists (no typo silently dropped)."""
    for name, wanted in staff_groups.STAFF_GROUPS.items():
        assert perms_of(name) == set(wanted), name
    assert all(result.missing == () for result in staff_groups.sync_staff_groups())


def test_staff1_finance_only_reads_and_support_gets_nothing_finance_only():
    finance, support = perms_of("Finance"), perms_of("Support")
    assert all(key.split(".")[1].startswith("view_") for key in finance - staff_groups.FINANCE_ONLY)
    assert not finance & {f"orders.{p}" for p in ORDER_ACTION_PERMS}
    assert not support & staff_groups.FINANCE_ONLY
    assert {f"orders.{p}" for p in ORDER_ACTION_PERMS} <= support
    assert "orders.change_coupon" not in support and "orders.add_coupon" not in support
    assert {"accounts.view_supportticket", "accounts.change_supportticket", "returns.view_refund"} <= support
    assert not any(key.endswith(("delete_order", "add_order", "change_refund")) for key in support | finance)


def test_staff1_sync_is_idempotent_and_repairs_hand_edits():
    # given: someone gave Finance a right it must not have, and removed one of Support's
    finance = Group.objects.get(name="Finance")
    finance.permissions.add(Permission.objects.get(codename="cancel_order"))
    Group.objects.get(name="Support").permissions.remove(Permission.objects.get(codename="ship_order"))
    # when
    first = {r.name: r.outcome for r in staff_groups.sync_staff_groups()}
    second = {r.name: r.outcome for r in staff_groups.sync_staff_groups()}
    # then
    assert first == {"Support": "updated", "Finance": "updated"}
    assert second == {"Support": "unchanged", "Finance": "unchanged"}
    assert "orders.cancel_order" not in perms_of("Finance") and "orders.ship_order" in perms_of("Support")


def test_staff1_post_migrate_receiver_syncs_once_after_the_last_app():
    # given
    Group.objects.filter(name__in=list(staff_groups.STAFF_GROUPS)).delete()
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    # when: an app in the middle has just migrated — its successors' permissions may not exist yet
    staff_groups.sync_after_migrate(sender=with_models[0], app_config=with_models[0])
    assert not Group.objects.filter(name__in=list(staff_groups.STAFF_GROUPS)).exists()
    # when: the last app has migrated
    staff_groups.sync_after_migrate(sender=with_models[-1], app_config=with_models[-1])
    # then
    assert perms_of("Support") == set(staff_groups.STAFF_GROUPS["Support"])


# --- Support works orders through the admin ----------------------------------------------------------------------


def test_sup2_support_confirms_ships_cancels_and_marks_paid(support, setup, django_user_model):
    # given
    agent = django_user_model.objects.get(email="support@example.kz")
    order = f.placed_order(setup)
    other = f.placed_order(setup)
    assert support.get(reverse("admin:orders_order_changelist")).status_code == 200
    # when / then: confirm, assemble, ship with tracking, deliver, take the cash
    for action, data, status in [
        ("confirm", {}, OrderStatus.CONFIRMED),
        ("assemble", {}, OrderStatus.ASSEMBLING),
        ("ship", {f"tracking_{order.pk}": "CDEK-42"}, OrderStatus.SHIPPED),
        ("deliver", {}, OrderStatus.DELIVERED),
        ("cod_paid", {}, OrderStatus.DELIVERED),
    ]:
        assert support.post(action_url(order, action), data).status_code == 302, action
        assert status_of(order) == status, action
    assert Order.objects.get(pk=order.pk).paid_amount == order.total
    assert not OrderEvent.objects.filter(order=order, actor_role="staff").exclude(actor=agent).exists()
    assert LogEntry.objects.filter(user=agent, object_id=str(order.pk)).count() == 5
    # cancel with a reason, from the list's bulk action
    page = support.post(
        reverse("admin:orders_order_changelist"),
        {"action": "cancel_selected", "index": "0", "_selected_action": [other.pk]},
    )
    assert page.status_code == 200
    support.post(
        reverse("admin:orders_order_changelist"),
        {"action": "cancel_selected", "apply": "yes", "_selected_action": [other.pk], "reason": "Нет цвета"},
    )
    assert status_of(other) == OrderStatus.CANCELLED
    # support sees refunds, tickets and the catalogue, but does not edit coupons or generate batches
    assert support.get(reverse("admin:returns_refund_changelist")).status_code == 200
    assert support.get(reverse("admin:accounts_supportticket_changelist")).status_code == 200
    assert support.get(reverse("admin:shop_product_changelist")).status_code == 200
    assert support.get(reverse("admin:orders_coupon_changelist")).status_code == 200
    assert support.get(reverse("admin:orders_coupon_generate")).status_code == 403
    assert support.get(reverse("admin:orders_coupon_add")).status_code == 403


# --- Finance reads, never acts -------------------------------------------------------------------------------------


def test_staff1_finance_sees_orders_but_cannot_act_on_them(finance, setup, django_user_model):
    # given
    boss = django_user_model.objects.create_superuser(email="boss@example.kz", password="pw-123456")
    order = f.placed_order(setup)
    shipped = f.placed_order(setup)
    fulfilment.confirm_order(order=shipped, actor=boss)
    fulfilment.set_status(order=shipped, target=OrderStatus.ASSEMBLING, actor=boss)
    # when
    listing = finance.get(reverse("admin:orders_order_changelist"))
    page = finance.get(change_url(order))
    # then: the list and the page open, with no action offered
    assert listing.status_code == 200 and order.number in listing.content.decode()
    assert listing.context["action_form"] is None or not [
        c for c in listing.context["action_form"].fields["action"].choices if c[0]
    ]
    assert page.status_code == 200 and page.context["order_actions"] == []
    assert 'action="/admin/orders/order/' not in page.content.decode()
    # posting the actions anyway changes nothing
    for action, data in [("confirm", {}), ("cancel", {"reason": "x"}), ("refuse", {"reason": "x"})]:
        assert finance.post(action_url(order, action), data).status_code == 403, action
    assert finance.post(action_url(shipped, "ship"), {f"tracking_{shipped.pk}": "X"}).status_code == 403
    bulk = finance.post(
        reverse("admin:orders_order_changelist"),
        {"action": "confirm_selected", "index": "0", "_selected_action": [order.pk]},
    )
    assert bulk.status_code in (200, 302, 403)
    assert status_of(order) == OrderStatus.PLACED and status_of(shipped) == OrderStatus.ASSEMBLING
    assert not OrderEvent.objects.filter(order=order).exclude(kind=OrderEvent.Kind.PLACED).exists()
    # nor edits anything
    assert finance.post(change_url(order), {"full_name": "X"}).status_code == 403
    assert finance.get(reverse("admin:orders_coupon_add")).status_code == 403
    assert finance.get(reverse("admin:returns_refund_changelist")).status_code == 200
    assert finance.get(reverse("admin:accounts_supportticket_changelist")).status_code == 403


def test_staff1_finance_sees_refunds(finance, setup, django_user_model, django_capture_on_commit_callbacks):
    boss = django_user_model.objects.create_superuser(email="boss@example.kz", password="pw-123456")
    order = f.placed_order(setup)
    fulfilment.confirm_order(order=order, actor=boss)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=boss)
    fulfilment.mark_shipped(order=order, actor=boss, tracking_number="T")
    fulfilment.mark_paid(order=order, actor=boss, amount=order.total)
    with django_capture_on_commit_callbacks(execute=True):  # orders announces the refusal after commit
        fulfilment.set_status(order=order, target=OrderStatus.REFUSED, actor=boss)  # paid, then refused: money back
    refund = Refund.objects.get(order=order)
    assert finance.get(reverse("admin:returns_refund_change", args=[refund.pk])).status_code == 200


# --- customers never get in ---------------------------------------------------------------------------------------


def test_staff1_customer_is_sent_to_the_admin_login(client, setup, django_user_model):
    customer = django_user_model.objects.create_user(email="buyer@example.kz", password="pw-123456")
    order = f.placed_order(setup, user=customer)
    client.force_login(customer)
    for url in (reverse("admin:orders_order_changelist"), change_url(order), action_url(order, "cancel")):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(action_url(order, "cancel"), {"reason": "сам отменю"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert status_of(order) == OrderStatus.PLACED
