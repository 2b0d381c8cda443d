"""Exchanges instead of refunds (RET-8) and as a warranty remedy (WAR-4), on the real PostgreSQL, through the admin
pages Support uses and the services behind them: the replacement's stock taken under its row lock (ORD-4), the
price difference worked out from what the returned units paid (REF-1) and settled — refunded through the one refund
path when the replacement is cheaper, paid by the customer through the exchange order's payment step when dearer —
and recorded on the request or claim, the customer's timeline and mail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderStatus
from payments import services as payment_services
from returns import exchange, policy, requests, timeline
from returns.models import Exchange, Refund, ReturnReason, ReturnShipping, ReturnState
from returns.warranty import deadlines as claim_deadlines
from returns.warranty import services as claim_services
from shop.models import Variant
from tests import factories as f
from tests.concurrency import run_together
from tests.payment_doubles import COD, TEST_CARD, TestCard

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def _shop(settings):
    TestCard.refunds = []
    TestCard.refuse_refunds = False
    settings.SHOP_PAYMENT_ADAPTERS = [TEST_CARD, COD]
    settings.SHOP_EXCHANGE_PAYMENT_DAYS = 5
    with translation.override("en"):
        yield


def staff_in(django_user_model, group: str, email: str):
    user = django_user_model.objects.create_user(email=email, password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def support(django_user_model):
    return staff_in(django_user_model, "Support", "support@example.kz")


@pytest.fixture
def finance(django_user_model):
    return staff_in(django_user_model, "Finance", "finance@example.kz")


def paid_delivered_order(capture, *, price="10000.00", quantity=1, language="en"):
    """An order paid by the test card and delivered two days ago."""
    order = f.placed_order(f.delivery_setup(), items=((price, quantity),), payment_method="testcard", language=language)
    with capture(execute=True):
        fulfilment.confirm_order(order=order, actor=None)
        payment = payment_services.current_attempt(order=order)
        payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T1")
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=2)
    )
    order.refresh_from_db()
    return order


def received_return(order, support, *, units=1):
    line = order.lines.get()
    request = requests.submit_return(
        order=order,
        quantities={line.pk: units},
        iban="KZ86125KZT5004100100",  # REF-4: asked of cash orders only
        reason=ReturnReason.CHANGED_MIND,
        conditions=policy.RETURN_CONDITIONS,
        shipping=ReturnShipping.OWN_SHIPMENT,
    )
    requests.mark_shipped(request=request, tracking_number="KZ123", role="customer")
    return requests.mark_received(request=request, actor=support)


def catalogue_variant(price, *, stock=5) -> Variant:
    return f.product(price=price, stock=stock).variants.get()


def stock_of(variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def inspect_url(request):
    return reverse("admin:returns_returnrequest_inspect", args=[request.pk])


# --- RET-8: the same item --------------------------------------------------------------------------------------------


def test_ret8_same_item_exchange_hands_out_the_same_sku_without_money_moving(
    support, django_capture_on_commit_callbacks
):
    # given
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    line = order.lines.get()
    request = received_return(order, support)
    before = stock_of(line.variant)
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        made = exchange.exchange_for_return(request=request, variant_id=line.variant_id, quantity=1, actor=support)
    # then
    request.refresh_from_db()
    assert request.state == ReturnState.EXCHANGED and request.refund is None
    assert made.same_item and made.status == Exchange.Status.DONE
    assert (made.credit, made.replacement_amount, made.surcharge) == (D("10000.00"), D("10000.00"), D("0.00"))
    assert made.order.total == D("0.00") and made.order.status == OrderStatus.PAID
    assert made.line.variant_id == line.variant_id and made.line.quantity == 1
    assert stock_of(line.variant) == before - 1  # ORD-4: the replacement's unit is taken
    assert not Refund.objects.filter(order=order).exists()
    event = request.events.get(action=policy.EXCHANGE)
    assert made.order.number in event.note and event.actor == support
    assert timeline.next_step(request).startswith(f"Exchanged for {line.product_name}")
    exchanged_mail = next(m for m in mail.outbox if m.to == [order.email] and request.number in m.body)
    assert f"Exchanged for {line.product_name}" in exchanged_mail.body


# --- RET-8: a cheaper item through the admin ----------------------------------------------------------------------


def test_ret8_cheaper_item_refunds_exactly_the_difference_the_way_it_was_paid(
    client, support, django_capture_on_commit_callbacks
):
    # given: 10 000 paid; the replacement costs 7 250.50 today
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    request = received_return(order, support)
    cheaper = catalogue_variant("7250.50")
    client.force_login(support)
    assert client.get(inspect_url(request), {"q": "x\x00y"}).status_code == 200  # hostile search: nothing special
    # when: Support finds it in the catalogue and decides the inspection by an exchange
    page = client.get(inspect_url(request), {"q": cheaper.sku})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            inspect_url(request), {"decision": "exchange", "replacement": cheaper.pk, "quantity": 1, "reason": ""}
        )
    # then
    assert page.status_code == 200 and f'value="{cheaper.pk}"' in page.content.decode()
    request.refresh_from_db()
    assert request.state == ReturnState.EXCHANGED
    refund = request.refund
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:returns_refund_change", args=[refund.pk]
    )
    assert refund.amount == D("2749.50") and refund.goods_amount == D("2749.50")  # 10 000 − 7 250.50
    assert refund.delivery_amount == 0 and refund.reason == Refund.Reason.RETURN
    assert refund.payment_method == "testcard"  # REF-4: back the way it was paid
    assert sum(line.amount for line in refund.lines.all()) == D("2749.50")
    made = Exchange.objects.get(request=request)
    assert made.refund == refund and made.order.total == 0 and made.line.variant_id == cheaper.pk
    assert stock_of(cheaper) == 4
    assert "2 749,50" in timeline.next_step(request).replace("\u202f", " ").replace("\xa0", " ")
    # SUP-2: audited in the admin's history as the other decisions are
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(object_id=str(request.pk), user=support).exists()
    change = client.get(reverse("admin:returns_returnrequest_change", args=[request.pk])).content.decode()
    assert made.order.number in change  # the exchange shown on the request, read-only


# --- RET-8: a dearer item: the customer pays the difference ---------------------------------------------------------


def test_ret8_dearer_item_asks_exactly_the_difference_and_completes_once_paid(
    client, support, django_capture_on_commit_callbacks
):
    # given
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    request = received_return(order, support)
    dearer = catalogue_variant("12500.00")
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        made = exchange.exchange_for_return(request=request, variant_id=dearer.pk, quantity=1, actor=support)
    # then: asked for exactly 2 500, the request waits, no refund
    request.refresh_from_db()
    assert made.status == Exchange.Status.AWAITING_PAYMENT and made.surcharge == D("2500.00")
    assert request.state == ReturnState.RECEIVED and request.refund is None
    exchange_order = made.order
    assert exchange_order.total == D("2500.00") and exchange_order.status == OrderStatus.PLACED
    assert exchange_order.discount_kind == "exchange" and exchange_order.discount_total == D("10000.00")
    assert exchange_order.pay_by.date() == (made.created_at + timedelta(days=5)).date()
    pay_url = reverse("payments:pay", kwargs={"token": exchange_order.access_token})
    (asked,) = [m for m in mail.outbox if "pay the difference" in m.subject.lower()]
    assert asked.to == [order.email] and pay_url in asked.body
    item = timeline.item(request)
    assert item["pay_url"] == pay_url and "2 500" in item["next_step"].replace("\u202f", " ").replace("\xa0", " ")
    exchange_page = client.get(exchange_order.get_absolute_url()).content.decode()
    assert "Exchange credit" in exchange_page  # the order's page says what covered the rest
    returns_page = client.get(reverse("returns:order", kwargs={"token": order.access_token})).content.decode()
    assert "Pay the difference of" in returns_page and pay_url in returns_page
    with pytest.raises(requests.ReturnError):  # decided already: no refund on top
        requests.accept_return(request=request, actor=support)
    # when: the customer pays through the normal payment step (the test card's sandbox)
    assert client.get(pay_url).status_code in (200, 302)
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_services.current_attempt(order=exchange_order)
        assert payment.amount == D("2500.00")
        payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T2")
    # then
    made.refresh_from_db()
    request.refresh_from_db()
    exchange_order.refresh_from_db()
    assert made.status == Exchange.Status.DONE and request.state == ReturnState.EXCHANGED
    assert exchange_order.paid_amount == D("2500.00") and exchange_order.status == OrderStatus.PAID
    assert not Refund.objects.filter(order=order).exists()


def test_ret8_unpaid_difference_drops_the_exchange_and_gives_the_stock_back(
    support, django_capture_on_commit_callbacks
):
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    request = received_return(order, support)
    dearer = catalogue_variant("12500.00")
    made = exchange.exchange_for_return(request=request, variant_id=dearer.pk, quantity=1, actor=support)
    assert stock_of(dearer) == 4
    # PAY-4 waits for pay_by, not the checkout's 30 minutes
    assert payment_services.expire_unpaid_orders(now=timezone.now() + timedelta(hours=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_services.expire_unpaid_orders(now=timezone.now() + timedelta(days=6)) == 1
    made.refresh_from_db()
    request.refresh_from_db()
    assert made.status == Exchange.Status.CANCELLED and stock_of(dearer) == 5
    assert request.state == ReturnState.RECEIVED
    assert requests.accept_return(request=request, actor=support).refund.amount == D("10000.00")


# --- RET-8, ORD-4: out of stock --------------------------------------------------------------------------------------


def test_ret8_out_of_stock_is_refused_with_a_message_and_nothing_changes(
    client, support, django_capture_on_commit_callbacks
):
    # given
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    request = received_return(order, support)
    gone = catalogue_variant("9000.00", stock=0)
    orders_before, events_before = Order.objects.count(), request.events.count()
    client.force_login(support)
    # when
    with pytest.raises(exchange.ExchangeRefused, match="Not enough stock"):
        exchange.exchange_for_return(request=request, variant_id=gone.pk, quantity=1, actor=support)
    response = client.post(inspect_url(request), {"decision": "exchange", "replacement": gone.pk, "quantity": 1})
    # then
    assert response.status_code == 200 and "Not enough stock" in response.content.decode()
    request.refresh_from_db()
    assert request.state == ReturnState.RECEIVED and request.refund is None
    assert Order.objects.count() == orders_before and request.events.count() == events_before
    assert not Exchange.objects.exists() and not Refund.objects.exists() and stock_of(gone) == 0


def test_ret8_never_more_units_than_come_back(support, django_capture_on_commit_callbacks):
    order = paid_delivered_order(django_capture_on_commit_callbacks, quantity=3)
    request = received_return(order, support, units=2)
    with pytest.raises(exchange.ExchangeRefused, match="between 1 and 2"):
        exchange.exchange_for_return(request=request, variant_id=order.lines.get().variant_id, quantity=3)
    assert not Exchange.objects.exists()


# --- RET-8: two staff at once ----------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_ret8_two_staff_exchanging_the_same_request_at_once_make_one_exchange(
    support, django_capture_on_commit_callbacks, transactional_db
):
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    request = received_return(order, support)
    other = catalogue_variant("8000.00")

    def exchange_it():
        return exchange.exchange_for_return(request=request, variant_id=other.pk, quantity=1, actor=support)

    results, crashed = run_together([exchange_it, exchange_it])
    assert len(results) == 1 and len(crashed) == 1 and isinstance(crashed[0], requests.ReturnError)
    assert Exchange.objects.filter(request=request).count() == 1
    assert Refund.objects.filter(order=order).count() == 1 and stock_of(other) == 4


# --- WAR-4: warranty exchanges ---------------------------------------------------------------------------------------


def warranty_claim(order):
    order.lines.update(warranty_months=12)
    return claim_services.file_claim(
        order=order,
        order_line=order.lines.get(),
        data=claim_services.ClaimData(
            description="Does not switch on",
            defect_found_on=claim_deadlines.today() - timedelta(days=1),
            preferred_remedy="exchange_same",
            contact_name="Aliya",
            contact_email=order.email,
            language="en",
        ),
    )


def test_war4_same_item_exchange_never_asks_a_surcharge_even_after_a_price_rise(
    client, support, django_capture_on_commit_callbacks
):
    # given: paid 10 000; the same SKU costs 13 000 today
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    line = order.lines.get()
    claim = warranty_claim(order)
    Variant.objects.filter(pk=line.variant_id).update(price=D("13000.00"))
    client.force_login(support)
    resolve = reverse("admin:returns_warrantyclaim_act", args=[claim.pk, "resolve"])
    # when: Support resolves it from the remedy step, the same item picked in the select
    page = client.get(resolve)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resolve, {"remedy": "exchange_same", "replacement": line.variant_id, "note": ""})
    # then
    assert page.status_code == 200 and f'value="{line.variant_id}"' in page.content.decode()
    assert response.status_code == 302
    claim.refresh_from_db()
    made = Exchange.objects.get(claim=claim)
    assert claim.status == "resolved" and claim.remedy == "exchange_same"
    assert claim.exchange_line == made.line and made.line.order_id == made.order_id != order.pk
    assert made.surcharge == 0 and made.order.total == 0 and claim.refund is None
    assert made.line.unit_price == D("13000.00")  # priced today, covered whole by the shop
    assert not Refund.objects.filter(order=order).exists()
    assert "Exchanged for" in claim.resolution_note


def test_war4_similar_item_refunds_a_cheaper_difference(support, django_capture_on_commit_callbacks):
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    claim = warranty_claim(order)
    similar = catalogue_variant("8800.00")
    with django_capture_on_commit_callbacks(execute=True):
        made = exchange.exchange_for_claim(claim=claim, remedy="exchange_similar", variant_id=similar.pk, actor=support)
    claim.refresh_from_db()
    assert claim.status == "resolved" and claim.exchange_line == made.line
    assert claim.refund.amount == D("1200.00") and claim.refund.reason == Refund.Reason.WARRANTY


def test_war4_similar_dearer_item_waits_for_the_difference_then_sets_the_exchange_line(
    client, support, django_capture_on_commit_callbacks
):
    # given
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    claim = warranty_claim(order)
    similar = catalogue_variant("11999.99")
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        made = exchange.exchange_for_claim(claim=claim, remedy="exchange_similar", variant_id=similar.pk, actor=support)
    # then: asked for exactly 1 999.99, the claim still open, its page showing how to pay
    claim.refresh_from_db()
    assert made.surcharge == D("1999.99") and made.order.total == D("1999.99") and claim.is_open
    pay_url = reverse("payments:pay", kwargs={"token": made.order.access_token})
    page = client.get(reverse("warranty:claim", kwargs={"token": claim.access_token})).content.decode()
    assert "Pay the difference of" in page and pay_url in page
    (asked,) = [m for m in mail.outbox if claim.number in m.subject]
    assert pay_url in asked.body
    # when: paid through the exchange order's payment step
    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_services.current_attempt(order=made.order)
        payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="W1")
    # then
    claim.refresh_from_db()
    assert claim.status == "resolved" and claim.remedy == "exchange_similar"
    assert claim.exchange_line == made.line and claim.remedy_amount == D("1999.99")


def test_ret8_cash_on_delivery_difference_is_collected_at_the_door(support, django_capture_on_commit_callbacks):
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    Order.objects.filter(pk=order.pk).update(payment_method="cod")
    request = received_return(order, support)
    made = exchange.exchange_for_return(
        request=request, variant_id=catalogue_variant("10500.00").pk, quantity=1, actor=support
    )
    assert made.order.total == D("500.00") and made.order.pay_by is None  # PAY-4 never expires it
    item = timeline.item(request)
    assert item["pay_url"] == "" and "courier" in item["next_step"]


def test_war4_same_item_remedy_needs_the_claimed_sku(support, django_capture_on_commit_callbacks):
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    claim = warranty_claim(order)
    with pytest.raises(exchange.ExchangeRefused):
        exchange.exchange_for_claim(
            claim=claim, remedy="exchange_same", variant_id=catalogue_variant("100.00").pk, actor=support
        )
    assert not Exchange.objects.exists()


# --- STAFF-1: Finance may not exchange ---------------------------------------------------------------------------


def test_staff1_finance_gets_403_on_the_exchange_actions(client, support, finance, django_capture_on_commit_callbacks):
    order = paid_delivered_order(django_capture_on_commit_callbacks)
    request = received_return(order, support)
    claim = warranty_claim(order)
    client.force_login(finance)
    variant = order.lines.get().variant_id
    inspect = client.post(inspect_url(request), {"decision": "exchange", "replacement": variant, "quantity": 1})
    resolve = client.post(
        reverse("admin:returns_warrantyclaim_act", args=[claim.pk, "resolve"]),
        {"remedy": "exchange_same", "replacement": variant},
    )
    assert inspect.status_code == resolve.status_code == 403
    assert not Exchange.objects.exists()
