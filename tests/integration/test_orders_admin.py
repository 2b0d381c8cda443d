"""The orders admin (SUP-2, ORD-5, ORD-6, CPN-1, DLV-2): the order queue with filters and search, read-only
orders moved only through actions that call the core (OrderEvent with the staff actor + a LogEntry), bulk actions
that skip what cannot move, coupon batches with CSV, and the delivery reference data."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from orders.coupons import services as coupon_services
from orders.fulfilment import services as fulfilment
from orders.models import Coupon, DeliveryTariff, Order, OrderEvent, OrderStatus, StoreStock
from returns.models import Refund
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:orders_order_changelist"




WITH_CARD = override_settings(
    SHOP_PAYMENT_ADAPTERS=[
        "payments.adapters.cod.CashOnDelivery",
        "tests.payment_doubles.TestCard",
    ]
)


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
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(email="boss@example.kz", password="pw-123456")


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def changelist_url(query=""):
    return reverse(CHANGELIST) + query


def change_url(order):
    return reverse("admin:orders_order_change", args=[order.pk])


def action_url(order, action):
    return reverse("admin:orders_order_action", args=[order.pk, action])


def listed(client, query="") -> set[str]:
    response = client.get(changelist_url(query))
    assert response.status_code == 200, query
    return {order.number for order in response.context["cl"].result_list}


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def reload(order) -> Order:
    return Order.objects.get(pk=order.pk)


def last_event(order) -> OrderEvent:
    return OrderEvent.objects.filter(order=order).order_by("-at", "-id").first()


def admin_log(order) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(order.pk), content_type__model="order", action_flag=CHANGE)
        .order_by("id")
        .values_list("change_message", flat=True)
    )


# --- the queue: columns, filters, search, constant queries -------------------------------------------------------


def test_sup2_order_list_filters_and_search_find_the_right_orders(staff, setup, admin_user):
    # given
    first = f.placed_order(setup, full_name="Айгерим Сапарова", email="aigerim@example.kz", phone="+77011234567")
    second = f.placed_order(setup, full_name="Болат Ахметов", email="bolat@example.kz", phone="+77017654321")
    third = f.placed_order(
        setup,
        full_name="Динара Ким",
        email="dinara@example.kz",
        phone="+77051112233",
        delivery_method="pickup",
        address="",
        pickup_point_id=setup.pickup_point.pk,
    )
    fulfilment.confirm_order(order=second, actor=admin_user)
    fulfilment.request_cancellation(order=third, user=None, reason="Передумала")
    everyone = {first.number, second.number, third.number}
    # when / then: the list shows everything a manager scans for
    html = staff.get(changelist_url()).content.decode()
    for text in (first.number, "Айгерим Сапарова", "aigerim@example.kz", "Almaty", "Cash or card on delivery"):
        assert text in html
    assert listed(staff) == everyone
    # search: number, e-mail, phone (as stored and as people type it), name
    assert listed(staff, f"?q={second.number}") == {second.number}
    assert listed(staff, "?q=bolat@example.kz") == {second.number}
    assert listed(staff, "?q=%2B77051112233") == {third.number}
    assert listed(staff, "?q=8+701+123+45+67") == {first.number}
    assert listed(staff, "?q=Ахметов") == {second.number}
    # filters: status, delivery method, payment method, cancellation requested, date
    assert listed(staff, "?status__exact=confirmed") == {second.number}
    assert listed(staff, "?delivery_method__exact=pickup") == {third.number}
    assert listed(staff, "?payment_method=cod") == everyone
    assert listed(staff, "?payment_method=epay") == set()
    assert listed(staff, "?cancellation=pending") == {third.number}
    placed = first.placed_at
    assert listed(staff, f"?placed_at__year={placed.year}&placed_at__month={placed.month}") >= {first.number}
    assert listed(staff, "?placed_at__year=2001") == set()


def test_sup2_order_list_runs_a_constant_number_of_queries(staff, setup, django_assert_max_num_queries):
    counts = []
    for total in (3, 30):
        # given
        while Order.objects.count() < total:
            f.placed_order(setup)
        # when
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(changelist_url()).status_code == 200
        counts.append(len(queries))
    # then
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        staff.get(changelist_url("?status__exact=placed&q=example"))


def test_ord3_order_page_is_read_only_with_lines_history_and_totals(staff, setup):
    # given
    order = f.placed_order(setup, items=(("10000.00", 2), ("2500.00", 1)))
    # when
    response = staff.get(change_url(order))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert not response.context["adminform"].form.fields  # nothing editable
    assert 'name="_save"' not in html and "deletelink" not in html
    for line in order.lines.all():
        assert line.sku in html and line.product_name in html
    assert "22\u202f500\u00a0₸" in html  # goods total shown, written as the shop writes money (issue 16)
    assert "— → Placed" in html  # the history's first row
    # nothing can be saved, added or deleted through the admin, even by a superuser
    assert staff.post(change_url(order), {"full_name": "Другое имя"}).status_code == 403
    assert reload(order).full_name == order.full_name
    assert staff.get(reverse("admin:orders_order_add")).status_code == 403
    assert staff.get(reverse("admin:orders_order_delete", args=[order.pk])).status_code == 403


# --- actions from the change page: each through the core, audited twice -------------------------------------------


def test_sup2_each_action_moves_the_order_through_the_core_and_is_audited(staff, setup, admin_user):
    """ORD-5/SUP-2: confirm → assembling → shipped (tracking) → delivered → cash paid → completed, each from the
    order's buttons, each leaving an OrderEvent by the staff member and a LogEntry in the admin history."""
    order = f.placed_order(setup)
    steps = [
        ("confirm", {}, OrderStatus.CONFIRMED),
        ("assemble", {}, OrderStatus.ASSEMBLING),
        ("ship", {f"tracking_{order.pk}": "KZ123456789", "carrier": "CDEK"}, OrderStatus.SHIPPED),
        ("deliver", {}, OrderStatus.DELIVERED),
        ("cod_paid", {}, OrderStatus.DELIVERED),
        ("complete", {}, OrderStatus.COMPLETED),
    ]
    for number, (action, data, status) in enumerate(steps, start=1):
        # given: the button is offered in this state
        offered = [a["name"] for a in staff.get(change_url(order)).context["order_actions"]]
        assert action in offered, (action, offered)
        # when
        response = staff.post(action_url(order, action), data)
        # then
        assert response.status_code == 302 and response["Location"] == change_url(order), action
        fresh = reload(order)
        assert fresh.status == status, action
        assert last_event(order).actor == admin_user and last_event(order).actor_role == "staff"
        assert len(admin_log(order)) == number
    fresh = reload(order)
    assert fresh.tracking_number == "KZ123456789" and fresh.carrier == "CDEK"
    assert fresh.paid_amount == fresh.total and fresh.paid_at is not None
    log = admin_log(order)
    assert "KZ123456789" in log[2] and str(fresh.total) in log[4]
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT, actor=admin_user).exists()
    history = staff.get(reverse("admin:orders_order_history", args=[order.pk])).content.decode()
    assert "KZ123456789" in history
    # a finished order offers nothing more
    assert staff.get(change_url(order)).context["order_actions"] == []


def test_ord5_refuse_asks_the_reason_and_cancels_through_the_core(staff, setup, admin_user):
    # given
    order = f.placed_order(setup)
    # when: the page asks the reason; an empty one is refused with a message
    page = staff.get(action_url(order, "refuse"))
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    empty = staff.post(action_url(order, "refuse"), {"reason": "  "})
    assert empty.status_code == 200 and empty.context["form"].errors
    assert reload(order).status == OrderStatus.PLACED
    response = staff.post(action_url(order, "refuse"), {"reason": "Нет на складе"})
    # then
    assert response.status_code == 302
    fresh = reload(order)
    assert fresh.status == OrderStatus.CANCELLED and fresh.cancellation_reason == "Нет на складе"
    event = last_event(order)
    assert event.to_status == OrderStatus.CANCELLED and event.actor == admin_user and event.message == "Нет на складе"
    assert "Нет на складе" in admin_log(order)[-1]


def test_ord6_cancel_with_reason_releases_stock(staff, setup, admin_user):
    # given
    order = f.placed_order(setup, items=(("5000.00", 2),))
    variant = order.lines.get().variant
    stock_before = variant.stock
    # when
    response = staff.post(action_url(order, "cancel"), {"reason": "Клиент попросил по телефону"})
    # then
    assert response.status_code == 302
    assert reload(order).status == OrderStatus.CANCELLED
    variant.refresh_from_db()
    assert variant.stock == stock_before + 2
    assert last_event(order).actor == admin_user
    assert not Refund.objects.filter(order=order).exists()  # nothing was paid


def test_ord6_cancel_page_offers_the_customers_own_reason(staff, setup):
    # given
    order = f.placed_order(setup)
    fulfilment.request_cancellation(order=order, user=None, reason="Нашла дешевле")
    # when
    form = staff.get(action_url(order, "cancel")).context["form"]
    # then
    assert form["reason"].value() == "Нашла дешевле"


def test_ord5_refused_at_delivery_puts_the_goods_back(staff, setup, admin_user):
    # given
    order = f.placed_order(setup, items=(("4000.00", 3),))
    variant = order.lines.get().variant
    fulfilment.confirm_order(order=order, actor=admin_user)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=admin_user)
    fulfilment.mark_shipped(order=order, actor=admin_user, tracking_number="KZ1")
    variant.refresh_from_db()
    stock_before = variant.stock
    # when
    response = staff.post(action_url(order, "refused_at_delivery"))
    # then
    assert response.status_code == 302
    assert reload(order).status == OrderStatus.REFUSED
    variant.refresh_from_db()
    assert variant.stock == stock_before + 3
    assert last_event(order).actor == admin_user and len(admin_log(order)) == 1
    assert not Refund.objects.filter(order=order).exists()  # cash on delivery: nothing was paid


@WITH_CARD
def test_ord6_cancelling_a_paid_order_records_a_refund_due_with_lines(
    staff, setup, admin_user, django_capture_on_commit_callbacks
):
    # given: an online order, confirmed and paid
    order = f.placed_order(setup, items=(("10000.00", 1), ("3000.00", 2)), payment_method="testcard")
    fulfilment.confirm_order(order=order, actor=admin_user)
    fulfilment.mark_paid(order=order, actor=None, amount=order.total)
    assert reload(order).status == OrderStatus.PAID
    # when
    with django_capture_on_commit_callbacks(execute=True):  # orders announces the cancellation after commit
        response = staff.post(action_url(order, "cancel"), {"reason": "Нет в наличии"})
    # then
    assert response.status_code == 302
    assert reload(order).status == OrderStatus.CANCELLED
    refund = Refund.objects.get(order=order)
    assert refund.amount == order.total and refund.status == Refund.Status.DUE
    assert refund.reason == Refund.Reason.CANCELLATION and refund.payment_method == "testcard"
    assert sorted((line.quantity, line.amount) for line in refund.lines.all()) == [
        (1, Decimal("10000.00")),
        (2, Decimal("6000.00")),
    ]
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.REFUND_DUE, actor=admin_user).exists()


@WITH_CARD
def test_pay1_mark_paid_is_offered_only_for_cash_on_delivery(staff, setup, admin_user):
    # given: an online order that is shipped
    order = f.placed_order(setup, payment_method="testcard")
    fulfilment.confirm_order(order=order, actor=admin_user)
    fulfilment.mark_paid(order=order, actor=None, amount=order.total)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=admin_user)
    fulfilment.mark_shipped(order=order, actor=admin_user, tracking_number="T1")
    # when
    offered = [a["name"] for a in staff.get(change_url(order)).context["order_actions"]]
    response = staff.post(action_url(order, "cod_paid"), follow=True)
    # then
    assert "cod_paid" not in offered
    assert any("not changed" in text for text in texts(response))
    assert not OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT, actor=admin_user).exists()


def test_ord5_shipping_needs_a_tracking_number(staff, setup, admin_user):
    # given
    order = f.placed_order(setup)
    fulfilment.confirm_order(order=order, actor=admin_user)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=admin_user)
    events_before = OrderEvent.objects.filter(order=order).count()
    # when
    response = staff.post(action_url(order, "ship"), {f"tracking_{order.pk}": "", "carrier": "CDEK"})
    # then
    assert response.status_code == 200
    assert f"tracking_{order.pk}" in response.context["form"].errors
    fresh = reload(order)
    assert fresh.status == OrderStatus.ASSEMBLING and fresh.tracking_number == ""
    assert OrderEvent.objects.filter(order=order).count() == events_before
    assert admin_log(order) == []


def test_sup2_a_transition_the_order_cannot_take_is_a_message_not_an_error(staff, setup):
    # given: a placed order cannot be delivered
    order = f.placed_order(setup)
    # when
    response = staff.post(action_url(order, "deliver"), follow=True)
    # then
    assert response.status_code == 200
    assert any(order.number in text and "not changed" in text for text in texts(response))
    assert reload(order).status == OrderStatus.PLACED and admin_log(order) == []
    # unknown actions and orders are a 404 / a redirect, never a 500
    assert staff.post(action_url(order, "teleport")).status_code == 404
    missing = reverse("admin:orders_order_action", args=[999999, "confirm"])
    assert staff.post(missing).status_code == 302
    # GET never changes anything
    assert staff.get(action_url(order, "confirm")).status_code == 302
    assert reload(order).status == OrderStatus.PLACED


# --- bulk actions -------------------------------------------------------------------------------------------------


def test_sup2_bulk_confirm_skips_the_order_that_cannot_be_confirmed(staff, setup, admin_user):
    # given
    first, second, cancelled = (f.placed_order(setup) for _ in range(3))
    fulfilment.cancel_order(order=cancelled, actor=admin_user, reason="test")
    # when
    response = staff.post(
        changelist_url(),
        {"action": "confirm_selected", "index": "0", "_selected_action": [first.pk, second.pk, cancelled.pk]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert reload(first).status == reload(second).status == OrderStatus.CONFIRMED
    assert reload(cancelled).status == OrderStatus.CANCELLED
    messages = texts(response)
    assert any(cancelled.number in text and "not changed" in text for text in messages)
    assert any(first.number in text and second.number in text for text in messages)
    assert last_event(first).actor == admin_user and len(admin_log(first)) == 1 and admin_log(cancelled) == []


def test_sup2_bulk_ship_asks_each_orders_tracking_number(staff, setup, admin_user):
    # given
    orders = [f.placed_order(setup) for _ in range(2)]
    for order in orders:
        fulfilment.confirm_order(order=order, actor=admin_user)
        fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=admin_user)
    selected = [o.pk for o in orders]
    # when: the action shows its page first
    page = staff.post(changelist_url(), {"action": "ship_selected", "index": "0", "_selected_action": selected})
    assert page.status_code == 200
    html = page.content.decode()
    assert all(f'name="tracking_{o.pk}"' in html for o in orders)
    # a missing number stops the whole batch
    data = {"action": "ship_selected", "apply": "yes", "_selected_action": selected, "carrier": "Kazpost"}
    missing = staff.post(changelist_url(), {**data, f"tracking_{orders[0].pk}": "RR1"})
    assert missing.status_code == 200 and missing.context["form"].errors
    assert {reload(o).status for o in orders} == {OrderStatus.ASSEMBLING}
    response = staff.post(
        changelist_url(), {**data, f"tracking_{orders[0].pk}": "RR1", f"tracking_{orders[1].pk}": "RR2"}
    )
    # then
    assert response.status_code == 302
    assert [(reload(o).status, reload(o).tracking_number) for o in orders] == [
        (OrderStatus.SHIPPED, "RR1"),
        (OrderStatus.SHIPPED, "RR2"),
    ]
    assert all(last_event(o).actor == admin_user for o in orders)


def test_ord6_bulk_cancel_asks_one_reason(staff, setup):
    orders = [f.placed_order(setup) for _ in range(2)]
    selected = [o.pk for o in orders]
    page = staff.post(changelist_url(), {"action": "cancel_selected", "index": "0", "_selected_action": selected})
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    response = staff.post(
        changelist_url(),
        {"action": "cancel_selected", "apply": "yes", "_selected_action": selected, "reason": "Дубликат"},
    )
    assert response.status_code == 302
    assert {(reload(o).status, reload(o).cancellation_reason) for o in orders} == {(OrderStatus.CANCELLED, "Дубликат")}


# --- coupons (CPN-1) ----------------------------------------------------------------------------------------------


def test_cpn1_generate_batch_creates_unique_codes_with_the_label():
    # given
    from django.utils import timezone

    cat = f.category()
    now = timezone.now()
    # when
    coupons = coupon_services.generate_batch(
        count=250,
        batch="Рассылка май",
        prefix="may",
        kind="percent",
        value=Decimal("15"),
        valid_from=now,
        valid_until=now + timezone.timedelta(days=30),
        categories=[cat],
    )
    # then
    codes = [c.code for c in coupons]
    assert len(codes) == len(set(codes)) == 250
    stored = Coupon.objects.filter(batch="Рассылка май")
    assert stored.count() == 250
    assert all(
        code.startswith("MAY-") and len(code) == 12 and set(code[4:]) <= set(coupon_services.CODE_ALPHABET)
        for code in codes
    )
    assert not set("".join(c[4:] for c in codes)) & set("01OIL")
    assert set(stored.values_list("categories", flat=True)) == {cat.pk}
    assert set(stored.values_list("max_uses", "max_uses_per_customer", "value")) == {(1, 1, Decimal("15.00"))}


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"count": 0}, coupon_services.CouponBatchError),
        ({"count": 10_001}, coupon_services.CouponBatchError),
        ({"prefix": "ВЕСНА"}, coupon_services.CouponBatchError),
        ({"batch": " "}, coupon_services.CouponBatchError),
        ({"value": Decimal("150")}, Exception),  # percent over 100: the model's constraint
    ],
)
def test_cpn1_generate_batch_refuses_bad_terms(overrides, error):
    from django.utils import timezone

    now = timezone.now()
    terms = {
        "count": 5,
        "batch": "B",
        "kind": "percent",
        "value": Decimal("10"),
        "valid_from": now,
        "valid_until": now + timezone.timedelta(days=1),
    }
    with pytest.raises(error):
        coupon_services.generate_batch(**{**terms, **overrides})
    assert not Coupon.objects.exists()


def test_cpn1_batch_page_generates_and_downloads_csv(staff):
    # given
    cat = f.category()
    form = {
        "count": "40",
        "batch": "Partner Kaspi",
        "prefix": "kaspi",
        "kind": "fixed",
        "value": "2000",
        "min_goods_total": "10000",
        "valid_from_0": "2030-01-01",
        "valid_from_1": "00:00:00",
        "valid_until_0": "2030-12-31",
        "valid_until_1": "23:59:00",
        "max_uses": "1",
        "max_uses_per_customer": "1",
        "categories": [cat.pk],
    }
    generate = reverse("admin:orders_coupon_generate")
    assert staff.get(generate).status_code == 200
    assert "Generate a batch" in staff.get(reverse("admin:orders_coupon_changelist")).content.decode()
    # when
    response = staff.post(generate, form)
    # then
    assert response.status_code == 302
    batch = staff.get(response["Location"])
    assert batch.status_code == 200 and "40" in batch.content.decode()
    assert Coupon.objects.filter(batch="Partner Kaspi", kind="fixed", min_goods_total=10000).count() == 40
    csv_response = staff.get(batch.context["csv_url"])
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 40 and {r["batch"] for r in rows} == {"Partner Kaspi"}
    assert {r["code"] for r in rows} == set(Coupon.objects.filter(batch="Partner Kaspi").values_list("code", flat=True))
    assert all(r["code"].startswith("KASPI-") for r in rows)
    # the same label again is a form error, not a second batch
    again = staff.post(generate, form)
    assert again.status_code == 200 and "batch" in again.context["form"].errors
    assert Coupon.objects.filter(batch="Partner Kaspi").count() == 40
    # the list filters by batch and exports a selection
    assert staff.get(reverse("admin:orders_coupon_changelist") + "?batch=Partner+Kaspi").status_code == 200
    some = list(Coupon.objects.values_list("pk", flat=True)[:3])
    selection = staff.post(
        reverse("admin:orders_coupon_changelist"), {"action": "download_csv", "index": "0", "_selected_action": some}
    )
    assert len(b"".join(selection.streaming_content).decode("utf-8-sig").strip().splitlines()) == 4


def test_cpn1_batch_page_refuses_bad_input(staff):
    generate = reverse("admin:orders_coupon_generate")
    response = staff.post(generate, {"count": "20000", "batch": "", "kind": "percent", "value": "120"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"count", "batch", "value", "valid_from", "valid_until"} <= set(errors)
    assert not Coupon.objects.exists()
    assert staff.get(reverse("admin:orders_coupon_batch") + "?batch=nothing").status_code == 404


def test_cpn1_new_coupon_is_valid_for_a_year_by_default(staff, settings):
    # given
    settings.SHOP_COUPON_VALIDITY_DAYS = 365
    # when
    form = staff.get(reverse("admin:orders_coupon_add")).context["adminform"].form
    # then
    start, end = form.initial["valid_from"], form.initial["valid_until"]
    assert (end - start).days == 365
    # a lower-case code is stored in capitals, and a clash in another case is a form error
    f.coupon("SPRING")
    response = staff.post(
        reverse("admin:orders_coupon_add"),
        {
            "code": "spring",
            "kind": "percent",
            "value": "10",
            "min_goods_total": "0",
            "valid_from_0": "2030-01-01",
            "valid_from_1": "00:00:00",
            "valid_until_0": "2030-02-01",
            "valid_until_1": "00:00:00",
            "max_uses_per_customer": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "code" in response.context["adminform"].form.errors


def test_cpn1_coupon_list_shows_usage_and_filters(staff):
    # given
    f.coupon("ONE", max_uses=10, batch="A")
    f.coupon("TWO", kind="fixed", value="500", batch="B")
    url = reverse("admin:orders_coupon_changelist")

    def codes(query):
        return {c.code for c in staff.get(url + query).context["cl"].result_list}

    # when
    html = staff.get(url).content.decode()
    # then
    assert "ONE" in html and "0 / 10" in html and "0 / ∞" in html
    assert codes("?kind__exact=fixed") == {"TWO"}
    assert codes("?batch=A") == {"ONE"}
    assert codes("?is_active__exact=1") == {"ONE", "TWO"}
    assert codes("?q=one") == {"ONE"}


# --- delivery reference data (DLV-1, DLV-2) -------------------------------------------------------------------------


def test_dlv2_tariffs_are_edited_in_the_list(staff, setup):
    # given
    tariffs = list(DeliveryTariff.objects.order_by("pk"))
    url = reverse("admin:orders_deliverytariff_changelist")
    formset = staff.get(url).context["cl"].formset
    data = {"form-TOTAL_FORMS": str(len(formset.forms)), "form-INITIAL_FORMS": str(len(formset.forms)), "_save": "Save"}
    for i, form in enumerate(formset.forms):
        tariff = form.instance
        data.update(
            {
                f"form-{i}-id": tariff.pk,
                f"form-{i}-base_cost": "999.00" if tariff.method == "courier" else tariff.base_cost,
                f"form-{i}-per_kg": tariff.per_kg,
                f"form-{i}-bulky_surcharge": tariff.bulky_surcharge,
                f"form-{i}-free_from": tariff.free_from or "",
                f"form-{i}-is_active": "on",
            }
        )
    # when
    response = staff.post(url, data)
    # then
    assert response.status_code == 302
    assert DeliveryTariff.objects.get(method="courier", city=None).base_cost == Decimal("999.00")
    assert len(tariffs) == DeliveryTariff.objects.count()
    # a second all-cities row for the same method is refused by the form, not a 500
    add = staff.post(
        reverse("admin:orders_deliverytariff_add"),
        {"method": "courier", "city": "", "base_cost": "1", "per_kg": "0", "bulky_surcharge": "0", "is_active": "on"},
    )
    assert add.status_code == 200 and add.context["adminform"].form.errors


def test_dlv1_delivery_admin_pages_open(staff, setup):
    for name in ("city", "deliverytariff", "pickuppoint", "store"):
        assert staff.get(reverse(f"admin:orders_{name}_changelist")).status_code == 200, name
        assert staff.get(reverse(f"admin:orders_{name}_add")).status_code == 200, name
    assert staff.get(reverse("admin:orders_city_change", args=[setup.city.pk])).status_code == 200
    assert staff.get(reverse("admin:orders_pickuppoint_change", args=[setup.pickup_point.pk])).status_code == 200


def test_dlv1_store_stock_inline_finds_variants_by_sku(staff, setup):
    # given
    variant = f.product(name_ru="Чайник Самал", name_en="Samal kettle").variants.get()
    StoreStock.objects.create(store=setup.store, variant=variant, quantity=3)
    # when
    page = staff.get(reverse("admin:orders_store_change", args=[setup.store.pk]))
    found = staff.get(
        reverse("admin:autocomplete"),
        {"app_label": "orders", "model_name": "storestock", "field_name": "variant", "term": variant.sku},
    )
    # then
    assert page.status_code == 200 and "Samal kettle" in page.content.decode()
    assert found.status_code == 200
    assert [r["id"] for r in found.json()["results"]] == [str(variant.pk)]
    # the variants' own admin only serves that search: it is not in the index
    assert "/admin/shop/variant/" not in staff.get(reverse("admin:index")).content.decode()


# --- refunds (read-only) ------------------------------------------------------------------------------------------


@WITH_CARD
def test_ref_refund_admin_is_read_only_and_filters(staff, setup, admin_user, django_capture_on_commit_callbacks):
    order = f.placed_order(setup, payment_method="testcard")
    fulfilment.confirm_order(order=order, actor=admin_user)
    fulfilment.mark_paid(order=order, actor=None, amount=order.total)
    with django_capture_on_commit_callbacks(execute=True):  # orders announces the cancellation after commit
        fulfilment.cancel_order(order=order, actor=admin_user, reason="x")
    refund = Refund.objects.get(order=order)
    url = reverse("admin:returns_refund_changelist")
    for query in (
        "",
        "?status__exact=due",
        "?reason__exact=cancellation",
        "?payment_method=testcard",
        f"?q={order.number}",
    ):
        response = staff.get(url + query)
        assert response.status_code == 200 and list(response.context["cl"].result_list) == [refund], query
    assert list(staff.get(url + "?status__exact=refunded").context["cl"].result_list) == []
    page = staff.get(reverse("admin:returns_refund_change", args=[refund.pk]))
    assert page.status_code == 200 and order.lines.get().sku in page.content.decode()
    assert staff.post(reverse("admin:returns_refund_change", args=[refund.pk]), {"amount": "1"}).status_code == 403
    assert staff.get(reverse("admin:returns_refund_add")).status_code == 403
