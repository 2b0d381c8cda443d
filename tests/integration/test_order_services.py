"""The orders core against PostgreSQL: place_order (ORD-2..4, ORD-8, CPN-1..2, DLV-2..4), the fulfilment flow
(ORD-5..7), cancellation with stock release and refund due (ORD-4, ORD-6, REF-1), and every bad input the
checkout service refuses without saving anything.

Mails are asserted where they leave: the on-commit callbacks are run, which queue the Celery task
`send_templated_email` (run eagerly in the tests); Celery's own `task_prerun` signal tells which template went to
whom, and the rendered mails land in the outbox."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.signals import task_prerun
from django.utils import timezone, translation

from base.tasks import send_templated_email
from base.workdays import shop_calendar
from orders.checkout.services import CheckoutError, place_order
from orders.delivery.selectors import estimate
from orders.fulfilment import services as fulfilment
from orders.fulfilment.services import TransitionError
from orders.models import Cart, CartLine, City, Coupon, DeliveryTariff, Order, OrderEvent, OrderLine, OrderStatus
from returns.models import Refund
from returns.services import record_refund_due
from shop.models import Variant
from shop.page_cache import catalogue_version
from tests import factories as f

pytestmark = pytest.mark.django_db

ALMATY_TZ = ZoneInfo("Asia/Almaty")
COD = "payments.adapters.cod.CashOnDelivery"
CARD = "tests.payment_doubles.TestCard"




@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the msgids); the services speak the active language."""
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture
def online(settings):
    settings.SHOP_PAYMENT_ADAPTERS = [COD, CARD]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(email="support@example.kz", password="pw-123456", is_staff=True)


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="aigerim@example.kz", password="pw-123456")


def variant(price="10000.00", *, stock=10, sale_price=None, category=None, **kwargs) -> Variant:
    return f.product(price=price, stock=stock, sale_price=sale_price, category_=category, **kwargs).variants.get()


@pytest.fixture
def sent_mails():
    """(template, recipients) of every `send_templated_email` task run, in order (Celery's task_prerun signal)."""
    sent = []

    def record(sender=None, task=None, kwargs=None, **_extra):
        if task is not None and task.name == send_templated_email.name:
            sent.append((kwargs["template"], kwargs["to"]))

    task_prerun.connect(record, weak=False)
    yield sent
    task_prerun.disconnect(record)


def stock_of(*variants) -> list[int]:
    return [Variant.objects.get(pk=v.pk).stock for v in variants]


# --- placing an order (ORD-2..4) ----------------------------------------------------------------------------------


def test_ord3_prices_are_frozen_on_the_order(setup, django_capture_on_commit_callbacks, mailoutbox, sent_mails):
    """ORD-3: the order keeps the prices it was placed at; a later price change touches only the catalogue."""
    # given
    plain = variant("12990.00")
    sale = variant("8000.00", sale_price="6490.00")
    cart = f.cart_with((plain, 2), (sale, 1))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(cart=cart, data=f.checkout_data(setup))
    Variant.objects.filter(pk=plain.pk).update(price=Decimal("99990.00"))
    sale.refresh_from_db()
    sale.sale_price = None
    sale.price = Decimal("1590.00")
    sale.save()
    # then
    order = Order.objects.get(pk=order.pk)
    lines = {line.variant_id: line for line in order.lines.all()}
    assert (lines[plain.pk].unit_price, lines[plain.pk].line_total) == (Decimal("12990.00"), Decimal("25980.00"))
    assert not lines[plain.pk].on_sale
    assert (lines[sale.pk].regular_price, lines[sale.pk].unit_price) == (Decimal("8000.00"), Decimal("6490.00"))
    assert lines[sale.pk].on_sale
    assert order.goods_total == Decimal("32470.00")
    assert order.total == order.goods_total + order.delivery_cost
    assert sent_mails == [("mail/orders/received", ["aigerim@example.kz"])]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["aigerim@example.kz"]


def test_ref1_discount_shares_add_up_to_the_order_discount_to_the_tiyn(setup):
    """REF-1/CPN-2: the coupon discount is split over the lines it applies to, the shares sum exactly to the
    order discount, each line's paid total is its line total minus its share, a sale line takes no share."""
    # given: amounts that do not split evenly
    a, b, c = variant("1000.01"), variant("2333.33"), variant("777.77")
    on_sale = variant("5000.00", sale_price="4000.00")
    f.coupon("SPLIT7", value="7")
    cart = f.cart_with((a, 1), (b, 3), (c, 2), (on_sale, 1))
    # when
    order = place_order(cart=cart, data=f.checkout_data(setup, coupon_code="split7"))
    # then
    lines = list(order.lines.all())
    eligible = Decimal("1000.01") + 3 * Decimal("2333.33") + 2 * Decimal("777.77")
    assert order.discount_total == (eligible * 7 / 100).quantize(Decimal("0.01"))
    assert sum(line.discount_share for line in lines) == order.discount_total
    assert all(line.paid_total == line.line_total - line.discount_share for line in lines)
    assert next(line for line in lines if line.variant_id == on_sale.pk).discount_share == 0
    assert (order.discount_kind, order.coupon_code) == ("coupon", "SPLIT7")
    assert order.total == order.goods_total - order.discount_total + order.delivery_cost
    assert Coupon.objects.get(code="SPLIT7").times_used == 1


def test_dlv2_delivery_cost_is_frozen_on_the_order(setup):
    """DLV-2/ORD-3: the order keeps the delivery cost of the tariff in force when it was placed."""
    # given: courier 1 500 ₸ for every city, a bulky item adds the 2 000 ₸ surcharge
    cart = f.cart_with((variant("9000.00"), 1))
    bulky = f.product(price="7000.00").variants.get()
    Variant.objects.filter(pk=bulky.pk).update(is_bulky=True)
    cart_bulky = f.cart_with((bulky, 1))
    # when
    order = place_order(cart=cart, data=f.checkout_data(setup))
    order_bulky = place_order(cart=cart_bulky, data=f.checkout_data(setup))
    DeliveryTariff.objects.filter(method="courier").update(base_cost=Decimal("9999.00"))
    # then
    order.refresh_from_db()
    assert order.delivery_cost == Decimal("1500.00")
    assert order.total == Decimal("10500.00")
    assert Order.objects.get(pk=order_bulky.pk).delivery_cost == Decimal("3500.00")


def test_dlv3_courier_free_from_threshold_and_pickup_free_from_20000(setup):
    """DLV-3: courier free from its 50 000 ₸ threshold; pickup point free from 20 000 ₸."""
    courier = place_order(cart=f.cart_with((variant("50000.00"), 1)), data=f.checkout_data(setup))
    pickup = place_order(
        cart=f.cart_with((variant("20000.00"), 1)),
        data=f.checkout_data(setup, delivery_method="pickup", pickup_point_id=setup.pickup_point.pk),
    )
    assert courier.delivery_cost == 0 and pickup.delivery_cost == 0
    assert pickup.delivery_address_text.startswith(setup.city.name) and pickup.address == ""


def test_ord4_stock_is_reserved_the_cart_emptied_and_the_placement_recorded(setup, customer):
    """ORD-4: placing reserves the stock; the cart is emptied; the log starts with "placed" by the customer."""
    # given
    first, second = variant(stock=5), variant(stock=3)
    cart = f.cart_with((first, 2), (second, 3), user=customer)
    # when
    order = place_order(cart=cart, data=f.checkout_data(setup, email="Aigerim@Example.kz "), user=customer)
    # then
    assert stock_of(first, second) == [3, 0]
    assert not CartLine.objects.filter(cart=cart).exists()
    assert order.user == customer and order.email == "aigerim@example.kz"
    assert order.status == OrderStatus.PLACED and order.paid_amount == 0
    event = OrderEvent.objects.get(order=order)
    assert (event.kind, event.to_status, event.actor, event.actor_role) == ("placed", "placed", customer, "customer")
    assert order.number.isdigit() and len(order.number) == 8 and len(order.access_token) >= 40
    assert [line.quantity for line in order.lines.order_by("id")] == [2, 3]


@pytest.mark.parametrize(
    ("placed_at", "processing_from", "eta"),
    [
        # Saturday before Capital Day (Mon 6 July 2026): processed from Tuesday
        (datetime(2026, 7, 4, 14, 0, tzinfo=ALMATY_TZ), date(2026, 7, 7), (date(2026, 7, 14), date(2026, 7, 21))),
        # Nauryz (Mon 23 March 2026, observed to Wednesday 25): processed from Thursday 26
        (datetime(2026, 3, 23, 9, 30, tzinfo=ALMATY_TZ), date(2026, 3, 26), (date(2026, 4, 2), date(2026, 4, 9))),
        # an ordinary Wednesday: the same day
        (datetime(2026, 4, 15, 18, 0, tzinfo=ALMATY_TZ), date(2026, 4, 15), (date(2026, 4, 22), date(2026, 4, 29))),
    ],
)
def test_ord8_dlv4_non_working_day_orders_are_processed_from_the_next_working_day(
    setup, placed_at, processing_from, eta
):
    """ORD-8/DLV-4: processing starts on the next working day (weekends and KZ public holidays skipped); the
    estimate is 5–10 working days from then, as orders.delivery.estimate computes."""
    # given
    cart = f.cart_with((variant(), 1))
    # when
    with time_machine.travel(placed_at, tick=False):
        order = place_order(cart=cart, data=f.checkout_data(setup))
    # then
    order.refresh_from_db()
    assert order.placed_at == placed_at
    assert order.processing_from == processing_from
    assert (order.eta_from, order.eta_to) == eta == estimate(placed_at)[1:]
    calendar = shop_calendar()
    assert calendar.working_days_between(processing_from, order.eta_from) == 5
    assert calendar.working_days_between(processing_from, order.eta_to) == 10


def test_dlv1_express_arrives_the_same_day(setup):
    """DLV-1: express delivery (store in the city holds the goods, within ordering hours) arrives today."""
    item = variant()
    setup.store.stock.create(variant=item, quantity=4)
    noon = datetime(2026, 4, 15, 12, 0, tzinfo=ALMATY_TZ)
    order = place_order(cart=f.cart_with((item, 2)), data=f.checkout_data(setup, delivery_method="express"), now=noon)
    assert (order.eta_from, order.eta_to) == (noon.date(), noon.date())
    assert order.delivery_cost == Decimal("2500.00")


def test_ord5_auto_confirm_setting_confirms_at_once_by_the_system(
    setup, settings, django_capture_on_commit_callbacks, sent_mails
):
    """ORD-5: with SHOP_AUTO_CONFIRM_ORDERS the shop's automation confirms the order as it is placed; the event
    has no actor and the role "system"; the customer gets "received" and "confirmed"."""
    # given
    settings.SHOP_AUTO_CONFIRM_ORDERS = True
    cart = f.cart_with((variant(), 1))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(cart=cart, data=f.checkout_data(setup))
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED and order.confirmed_at is not None
    confirmed = OrderEvent.objects.get(order=order, kind="status")
    assert (confirmed.from_status, confirmed.to_status) == ("placed", "confirmed")
    assert (confirmed.actor, confirmed.actor_role) == (None, "system")
    assert [t for t, _to in sent_mails] == ["mail/orders/received", "mail/orders/confirmed"]


def test_ord5_without_auto_confirm_the_order_waits_for_the_shop(setup, settings):
    settings.SHOP_AUTO_CONFIRM_ORDERS = False
    order = place_order(cart=f.cart_with((variant(), 1)), data=f.checkout_data(setup))
    assert order.status == OrderStatus.PLACED and order.confirmed_at is None


# --- the fulfilment flow (ORD-5..7) -------------------------------------------------------------------------------


def test_ord5_ord7_cash_on_delivery_happy_path(
    setup, staff, django_capture_on_commit_callbacks, mailoutbox, sent_mails
):
    """ORD-5/PAY-1: placed → confirmed → assembling → shipped (tracking) → paid at the door → delivered →
    completed; every step stamped, logged with the staff actor, and mailed (ORD-7) where the customer cares."""
    # given
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(cart=f.cart_with((variant(), 1)), data=f.checkout_data(setup))
        # when
        fulfilment.confirm_order(order=order, actor=staff)
        fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
        fulfilment.mark_shipped(order=order, actor=staff, tracking_number=" 1234567890 ")
        fulfilment.mark_paid(order=order, actor=staff, amount=order.total, reference="cash")
        fulfilment.set_status(order=order, target=OrderStatus.DELIVERED, actor=staff)
        fulfilment.set_status(order=order, target=OrderStatus.COMPLETED, actor=staff)
    # then
    order = Order.objects.get(pk=order.pk)
    assert order.status == OrderStatus.COMPLETED
    assert order.tracking_number == "1234567890"
    assert order.paid_amount == order.total
    assert all((order.confirmed_at, order.paid_at, order.shipped_at, order.delivered_at, order.closed_at))
    steps = [(e.from_status, e.to_status) for e in OrderEvent.objects.filter(order=order, kind="status").order_by("id")]
    assert steps == [
        ("placed", "confirmed"),
        ("confirmed", "assembling"),
        ("assembling", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "completed"),
    ]
    staff_events = OrderEvent.objects.filter(order=order).exclude(kind="placed")
    assert {(e.actor_id, e.actor_role) for e in staff_events} == {(staff.pk, "staff")}
    assert set(staff_events.values_list("kind", flat=True)) == {"status", "tracking", "payment"}
    templates = [t for t, _to in sent_mails]
    assert templates == [f"mail/orders/{kind}" for kind in ("received", "confirmed", "shipped", "delivered")]
    assert len(mailoutbox) == 4
    assert "1234567890" in mailoutbox[2].body  # the shipped mail gives the tracking number


def test_ord5_ord7_online_payment_happy_path(setup, staff, online, django_capture_on_commit_callbacks, sent_mails):
    """ORD-5: an online order is confirmed, paid (the "being assembled" mail), assembled, shipped, delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(cart=f.cart_with((variant(), 1)), data=f.checkout_data(setup, payment_method="testcard"))
        fulfilment.confirm_order(order=order, actor=staff)
        fulfilment.mark_paid(order=order, actor=staff, amount=order.total, reference="tx-1")
        assert order.status == OrderStatus.PAID and order.paid_amount == order.total
        fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
        fulfilment.mark_shipped(order=order, actor=staff, tracking_number="TRK-1")
        fulfilment.set_status(order=order, target=OrderStatus.DELIVERED, actor=staff)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.paid_at is not None
    templates = [t for t, _to in sent_mails]
    assert templates == [f"mail/orders/{kind}" for kind in ("received", "confirmed", "paid", "shipped", "delivered")]


def test_ord5_refused_at_delivery_puts_the_goods_back(setup, staff):
    """ORD-5/ORD-4: an order refused at the door ends as "refused" and its goods return to stock."""
    item = variant(stock=4)
    order = place_order(cart=f.cart_with((item, 3)), data=f.checkout_data(setup))
    fulfilment.confirm_order(order=order, actor=staff)
    fulfilment.set_status(order=order, target=OrderStatus.ASSEMBLING, actor=staff)
    fulfilment.mark_shipped(order=order, actor=staff, tracking_number="T1")
    assert stock_of(item) == [1]
    fulfilment.set_status(order=order, target=OrderStatus.REFUSED, actor=staff, message="not at home")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUSED and order.closed_at is not None
    assert stock_of(item) == [4]
    assert not Refund.objects.filter(order=order).exists()  # nothing was paid


def _advance(order, staff, *steps):
    for step in steps:
        if step == "confirm":
            fulfilment.confirm_order(order=order, actor=staff)
        elif step == "pay":
            fulfilment.mark_paid(order=order, actor=staff, amount=order.total)
        elif step == "ship":
            fulfilment.mark_shipped(order=order, actor=staff, tracking_number="T-1")
        else:
            fulfilment.set_status(order=order, target=step, actor=staff)
    return order


@pytest.mark.parametrize(
    ("payment", "before", "forbidden"),
    [
        ("cod", (), lambda o, s: fulfilment.mark_shipped(order=o, actor=s, tracking_number="T-1")),  # ship placed
        ("cod", ("confirm",), lambda o, s: fulfilment.mark_paid(order=o, actor=s, amount=o.total)),  # COD early
        ("cod", ("confirm", "assembling"), lambda o, s: fulfilment.mark_paid(order=o, actor=s, amount=o.total)),
        ("cod", ("confirm",), lambda o, s: fulfilment.confirm_order(order=o, actor=s)),  # confirm twice
        ("cod", (), lambda o, s: fulfilment.set_status(order=o, target="delivered", actor=s)),
        ("cod", (), lambda o, s: fulfilment.set_status(order=o, target="shipped", actor=s)),  # tracking needed
        ("cod", ("confirm",), lambda o, s: fulfilment.set_status(order=o, target="paid", actor=s)),
        ("cod", ("confirm", "assembling", "ship"), lambda o, s: fulfilment.cancel_order(order=o, actor=s)),
        (
            "cod",
            ("confirm", "assembling", "ship", "delivered"),
            lambda o, s: fulfilment.set_status(order=o, target="refused", actor=s),
        ),
        ("cod", ("confirm", "assembling"), lambda o, s: fulfilment.refuse_order(order=o, actor=s, reason="late")),
        ("cod", (), lambda o, s: fulfilment.refuse_order(order=o, actor=s, reason="  ")),  # no reason given
        ("cod", ("confirm",), lambda o, s: fulfilment.mark_shipped(order=o, actor=s, tracking_number="")),
        ("testcard", (), lambda o, s: fulfilment.mark_paid(order=o, actor=s, amount=o.total)),  # pay unconfirmed
        ("testcard", ("confirm",), lambda o, s: fulfilment.set_status(order=o, target="assembling", actor=s)),
        ("testcard", ("confirm",), lambda o, s: fulfilment.mark_paid(order=o, actor=s, amount=o.total - 1)),
        ("testcard", ("confirm", "pay"), lambda o, s: fulfilment.mark_paid(order=o, actor=s, amount=o.total)),
        (
            "testcard",
            ("confirm", "pay", "assembling", "ship"),
            lambda o, s: fulfilment.set_status(order=o, target="completed", actor=s),
        ),
    ],
)
def test_ord5_forbidden_transitions_raise_and_change_nothing(setup, staff, online, payment, before, forbidden):
    """ORD-5: a step the flow does not allow raises TransitionError; status, money and the log stay as they were."""
    # given
    order = place_order(cart=f.cart_with((variant(), 1)), data=f.checkout_data(setup, payment_method=payment))
    _advance(order, staff, *before)
    snapshot = Order.objects.filter(pk=order.pk).values("status", "paid_amount", "tracking_number").get()
    events = OrderEvent.objects.filter(order=order).count()
    # when / then
    with pytest.raises(TransitionError) as raised:
        forbidden(Order.objects.get(pk=order.pk), staff)
    assert raised.value.message
    assert Order.objects.filter(pk=order.pk).values("status", "paid_amount", "tracking_number").get() == snapshot
    assert OrderEvent.objects.filter(order=order).count() == events


def test_ord4_a_sale_from_deep_stock_leaves_cached_pages_alone_but_a_low_stock_sale_invalidates_them(
    setup, django_capture_on_commit_callbacks, settings
):
    """ORD-4/CAT-3: placing an order bumps the catalogue version (all cached pages) only when a page would change:
    "in stock" before and after shows nothing new, "only 2 left" does."""
    settings.SHOP_LOW_STOCK_THRESHOLD = 5
    deep, shallow = variant(stock=100), variant(stock=3)
    # when: an order from deep stock
    before = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        place_order(cart=f.cart_with((deep, 2)), data=f.checkout_data(setup))
    # then: the cached pages stay valid
    assert catalogue_version() == before
    # when: an order that leaves a low stock
    with django_capture_on_commit_callbacks(execute=True):
        place_order(cart=f.cart_with((shallow, 1)), data=f.checkout_data(setup, email="other@example.kz"))
    # then
    assert catalogue_version() > before
    assert stock_of(deep, shallow) == [98, 2]


# --- cancellation (ORD-4, ORD-6) and the refund due (REF-1) -------------------------------------------------------


def test_ord4_cancel_releases_stock_and_bumps_the_catalogue_version_after_commit(
    setup, staff, django_capture_on_commit_callbacks, sent_mails
):
    """ORD-4/ORD-6: support cancels; the stock goes back and cached catalogue pages (availability) are
    invalidated once the cancellation commits; the customer is told; nothing paid, so no refund."""
    # given
    first, second = variant(stock=5), variant(stock=2)
    order = place_order(cart=f.cart_with((first, 2), (second, 2)), data=f.checkout_data(setup))
    fulfilment.confirm_order(order=order, actor=staff)
    assert stock_of(first, second) == [3, 0]
    before = catalogue_version()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.cancel_order(order=order, actor=staff, reason="Покупатель передумал")
    # then
    assert catalogue_version() > before
    assert stock_of(first, second) == [5, 2]
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.closed_at is not None
    assert order.cancellation_reason == "Покупатель передумал"
    event = OrderEvent.objects.filter(order=order, kind="status").latest("id")
    assert (event.to_status, event.actor, event.message) == ("cancelled", staff, "Покупатель передумал")
    assert sent_mails == [("mail/orders/cancelled", ["aigerim@example.kz"])]
    assert not Refund.objects.filter(order=order).exists()


def test_ord6_ref1_cancelling_a_paid_order_records_the_refund_due_per_line(
    setup, staff, online, django_capture_on_commit_callbacks
):
    """ORD-6/REF-1: a paid order cancelled → a refund due of exactly what was paid: each line its paid total
    (net of its coupon share), plus the delivery; recorded once however often it is asked for."""
    # given
    f.coupon("TEN", value="10")
    a, b = variant("3333.33"), variant("1234.56")
    order = place_order(
        cart=f.cart_with((a, 1), (b, 2)), data=f.checkout_data(setup, payment_method="testcard", coupon_code="TEN")
    )
    _advance(order, staff, "confirm", "pay", "assembling")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.cancel_order(order=order, actor=staff, reason="out of stock after all")
    # then
    order.refresh_from_db()
    refund = Refund.objects.get(order=order)
    assert (refund.reason, refund.status, refund.payment_method) == ("cancellation", "due", "testcard")
    assert refund.amount == order.paid_amount == order.total
    assert refund.delivery_amount == order.delivery_cost
    by_line = {rl.order_line_id: rl for rl in refund.lines.all()}
    for line in OrderLine.objects.filter(order=order):
        assert (by_line[line.pk].amount, by_line[line.pk].quantity) == (line.paid_total, line.quantity)
    assert sum(rl.amount for rl in by_line.values()) + refund.delivery_amount == refund.amount
    assert OrderEvent.objects.filter(order=order, kind="refund_due").count() == 1
    # idempotent
    again = record_refund_due(order=order, reason="cancellation", actor=staff)
    assert again.pk == refund.pk and Refund.objects.filter(order=order).count() == 1
    assert refund.lines.count() == 2


@pytest.mark.parametrize(
    "steps",
    [(), ("confirm",), ("confirm", "pay"), ("confirm", "pay", "assembling")],
    ids=["placed", "confirmed", "paid", "assembling"],
)
def test_ord6_customer_may_ask_to_cancel_once_until_shipped(setup, staff, customer, online, steps):
    """ORD-6: the customer asks (the order does not change state; support decides); asking twice is refused."""
    # given
    order = place_order(
        cart=f.cart_with((variant(), 1), user=customer),
        data=f.checkout_data(setup, payment_method="testcard"),
        user=customer,
    )
    _advance(order, staff, *steps)
    status = Order.objects.get(pk=order.pk).status
    # when
    fulfilment.request_cancellation(order=order, user=customer, reason="  Нашла дешевле  ")
    # then
    order.refresh_from_db()
    assert order.status == status
    assert order.cancellation_requested_at is not None and order.cancellation_reason == "Нашла дешевле"
    event = OrderEvent.objects.get(order=order, kind="cancel_request")
    assert (event.actor, event.actor_role) == (customer, "customer")
    with pytest.raises(TransitionError):
        fulfilment.request_cancellation(order=order, user=customer, reason="again")
    assert OrderEvent.objects.filter(order=order, kind="cancel_request").count() == 1


@pytest.mark.parametrize("steps", [("confirm", "assembling", "ship"), ("confirm", "assembling", "ship", "delivered")])
def test_ord6_no_cancellation_request_after_shipping(setup, staff, steps):
    order = place_order(cart=f.cart_with((variant(), 1)), data=f.checkout_data(setup))
    _advance(order, staff, *steps)
    with pytest.raises(TransitionError):
        fulfilment.request_cancellation(order=order, user=None, reason="too late")
    order.refresh_from_db()
    assert order.cancellation_requested_at is None
    assert not OrderEvent.objects.filter(order=order, kind="cancel_request").exists()


def test_ord6_guest_request_is_logged_as_the_customer_without_a_user(setup):
    order = place_order(cart=f.cart_with((variant(), 1)), data=f.checkout_data(setup))
    fulfilment.request_cancellation(order=order, user=None, reason="")
    event = OrderEvent.objects.get(order=order, kind="cancel_request")
    assert (event.actor, event.actor_role) == (None, "customer")


# --- bad input: a CheckoutError, and nothing saved ------------------------------------------------------------------


@pytest.fixture
def shop(setup):
    """A cart of two SKUs and everything the checkout may be asked about."""
    first, second = variant("10000.00", stock=5), variant("4500.00", stock=2)
    cart = f.cart_with((first, 2), (second, 1))
    astana = City.objects.get(name_ru="Астана")
    other_point = astana.pickup_points.create(name_ru="Пункт в Астане", address_ru="ул. Кенесары, 1")
    return type(
        "Shop",
        (),
        {"setup": setup, "cart": cart, "variants": (first, second), "astana": astana, "other_point": other_point},
    )


def assert_nothing_saved(shop, stock=(5, 2)):
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not OrderEvent.objects.exists()
    assert stock_of(*shop.variants) == list(stock)
    assert CartLine.objects.filter(cart=shop.cart).count() == 2  # the shopper can correct and retry


def _refused(shop, field=None, *, match="", **overrides) -> CheckoutError:
    with pytest.raises(CheckoutError) as raised:
        place_order(cart=shop.cart, data=f.checkout_data(shop.setup, **overrides))
    error = raised.value
    assert error.message
    if field is not None:
        assert error.field == field, error.message
    if match:
        assert match.lower() in error.message.lower(), error.message
    assert_nothing_saved(shop)
    return error


def test_ord3_tampered_expected_total_stops_the_order(shop):
    """ORD-3: the browser's total is only compared, never used: a different total (a changed price or a
    tampered form) stops the order and says the new total."""
    right = Decimal("24500.00") + Decimal("1500.00")
    error = _refused(shop, expected_total=right - Decimal("1000.00"), match="total")
    assert "26" in error.message
    order = place_order(cart=shop.cart, data=f.checkout_data(shop.setup, expected_total=right))
    assert order.total == right


def test_ord2_terms_must_be_accepted(shop):
    _refused(shop, "terms", terms_accepted=False)


def test_ord2_empty_cart_is_refused(setup):
    with pytest.raises(CheckoutError, match="empty"):
        place_order(cart=Cart.objects.create(session_key="empty"), data=f.checkout_data(setup))
    assert not Order.objects.exists()


def test_dlv1_inactive_or_unknown_city_is_refused(shop):
    City.objects.filter(pk=shop.setup.city.pk).update(is_active=False)
    _refused(shop, "city")
    _refused(shop, "city", city_id=987654)


@pytest.mark.parametrize("method", ["teleport", "", "express"])
def test_dlv1_method_the_shop_does_not_offer_is_refused(shop, settings, method):
    """DLV-1: only the methods in SHOP_DELIVERY_METHODS (express switched off here) can be chosen."""
    settings.SHOP_DELIVERY_METHODS = ["courier", "logistics", "pickup"]
    shop.setup.store.stock.create(variant=shop.variants[0], quantity=9)
    shop.setup.store.stock.create(variant=shop.variants[1], quantity=9)
    _refused(shop, "delivery_method", delivery_method=method)


def test_dlv1_express_needs_the_goods_in_a_store_of_the_city(shop):
    """DLV-1: express is refused (with the reason) when no store of the city holds every line."""
    shop.setup.store.stock.create(variant=shop.variants[0], quantity=9)  # the second SKU is not in the store
    noon = timezone.make_aware(datetime(2026, 4, 15, 12, 0), ALMATY_TZ)
    with pytest.raises(CheckoutError) as raised:
        place_order(cart=shop.cart, data=f.checkout_data(shop.setup, delivery_method="express"), now=noon)
    assert raised.value.field == "delivery_method"
    assert_nothing_saved(shop)


def test_dlv1_express_outside_ordering_hours_is_refused(shop):
    for variant_ in shop.variants:
        shop.setup.store.stock.create(variant=variant_, quantity=9)
    late = datetime(2026, 4, 15, 22, 30, tzinfo=ALMATY_TZ)
    with pytest.raises(CheckoutError, match="22:00"):
        place_order(cart=shop.cart, data=f.checkout_data(shop.setup, delivery_method="express"), now=late)
    assert_nothing_saved(shop)


def test_dlv1_pickup_point_of_another_city_is_refused(shop):
    _refused(shop, "pickup_point", delivery_method="pickup", pickup_point_id=shop.other_point.pk)
    _refused(shop, "pickup_point", delivery_method="pickup", pickup_point_id=None)


def test_dlv1_courier_needs_an_address(shop):
    _refused(shop, "address", address="  ")


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"payment_method": "bitcoin"}, "unknown method"),
        ({"payment_method": ""}, "none chosen"),
        ({"payment_method": "cod", "delivery_method": "logistics"}, "a logistics company takes no cash"),
    ],
)
def test_pay1_payment_method_unknown_or_not_available_is_refused(shop, overrides, why):
    """PAY-1: only a registered method the registry offers for this amount and delivery (SHOP_COD_*)."""
    _refused(shop, "payment_method", **overrides)


def test_pay1_cash_on_delivery_above_its_maximum_is_refused(shop, settings):
    settings.SHOP_COD_MAX_AMOUNT = Decimal("20000")
    _refused(shop, "payment_method")


def test_cpn1_coupon_used_up_while_in_the_cart_is_refused(shop):
    """CPN-1: the coupon was fine when applied, then its last use went to someone else: the order stops."""
    coupon = f.coupon("LAST1", value="5", max_uses=1)
    Coupon.objects.filter(pk=coupon.pk).update(times_used=1)
    _refused(shop, "coupon_code", match="used up", coupon_code="LAST1")
    assert Coupon.objects.get(pk=coupon.pk).times_used == 1


@pytest.mark.parametrize(
    ("code", "coupon_kwargs", "match"),
    [
        ("NOPE", None, "no such coupon"),
        (
            "OLD",
            {"valid_from": timezone.now() - timedelta(days=400), "valid_until": timezone.now() - timedelta(1)},
            "expired",
        ),
        ("OFF", {"is_active": False}, "no longer valid"),
        ("BIG", {"min_goods_total": Decimal("100000")}, "at least"),
    ],
)
def test_cpn1_unusable_coupons_are_refused_with_the_reason(shop, code, coupon_kwargs, match):
    if coupon_kwargs is not None:
        f.coupon(code, **coupon_kwargs)
    _refused(shop, "coupon_code", match=match, coupon_code=code.lower())


def test_cpn1_coupon_once_per_customer_email(shop):
    """CPN-1: a coupon with one use per customer is refused on the same e-mail's second order."""
    f.coupon("ONCE", value="5")
    place_order(cart=shop.cart, data=f.checkout_data(shop.setup, coupon_code="ONCE", email="a@example.kz"))
    again = f.cart_with((variant(), 1))
    with pytest.raises(CheckoutError, match="already used"):
        place_order(cart=again, data=f.checkout_data(shop.setup, coupon_code="ONCE", email="A@example.kz"))


def test_ord4_quantities_above_stock_stop_the_order(shop):
    """ORD-4: the stock is re-checked under lock; a cart holding more than is left is refused with the names."""
    first, second = shop.variants
    Variant.objects.filter(pk=second.pk).update(stock=0)  # sold to someone else meanwhile
    with pytest.raises(CheckoutError, match=r"(?i)not enough stock") as raised:
        place_order(cart=shop.cart, data=f.checkout_data(shop.setup))
    assert str(second) in raised.value.message and str(first) not in raised.value.message
    assert_nothing_saved(shop, stock=(5, 0))


def test_ord4_hidden_product_cannot_be_ordered(shop):
    first = shop.variants[0]
    first.product.is_active = False
    first.product.save()
    with pytest.raises(CheckoutError, match=r"(?i)not enough stock"):
        place_order(cart=shop.cart, data=f.checkout_data(shop.setup))
    assert_nothing_saved(shop)


def test_ord3_the_database_refuses_money_that_does_not_add_up_by_a_single_tiyn(setup):
    """ORD-3/REF-1: totals are checked by the database itself (to the tiyn, on PostgreSQL and SQLite alike)."""
    from django.db import IntegrityError, transaction
    from django.db.models import F

    from orders.models import Order, OrderLine

    # given: a placed order whose amounts add up
    order = f.placed_order(setup, items=(("3333.33", 3),))
    line = order.lines.get()
    assert line.line_total == Decimal("9999.99")
    # when / then: any amount off by one tiyn is refused
    for queryset, change in (
        (OrderLine.objects.filter(pk=line.pk), {"paid_total": F("paid_total") + Decimal("0.01")}),
        (OrderLine.objects.filter(pk=line.pk), {"line_total": F("line_total") - Decimal("0.01")}),
        (Order.objects.filter(pk=order.pk), {"total": F("total") - Decimal("0.01")}),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            queryset.update(**change)
