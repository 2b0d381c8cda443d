"""CPN-3 end to end on the real database: a one-per-customer coupon comes back to the customer when the whole purchase
is returned because of a defect within 14 days of delivery — they can apply it again at checkout; a return for
another reason, or one made later, leaves it used."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from orders.coupons.selectors import customer_coupon_uses
from orders.models import Coupon, Order, OrderStatus
from returns import policy, requests, services
from returns.models import ReturnEvent, ReturnReason, ReturnShipping
from tests import factories as f

pytestmark = pytest.mark.django_db

CHECKOUT = "/en/checkout/"
EMAIL = "aigerim@example.kz"
KZ_IBAN = "KZ86125KZT5004100100"  # the standard example Kazakhstan IBAN (mod-97 valid)


@pytest.fixture(autouse=True)
def _shop(settings):
    settings.SHOP_PAYMENT_ADAPTERS = ["payments.adapters.cod.CashOnDelivery"]
    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser(email="boss@example.kz", password="pw-123456")


def en(message):
    with translation.override("en"):
        return translation.gettext(message)


def bought_with_the_coupon(*, delivered_ago=2):
    """The customer's order with the one-per-customer coupon ONCE, paid on delivery `delivered_ago` days ago."""
    setup = f.delivery_setup()
    coupon = f.coupon("ONCE", max_uses_per_customer=1)
    order = f.placed_order(setup, items=(("10000.00", 1), ("3000.00", 2)), coupon_code="ONCE", email=EMAIL)
    assert order.coupon_id == coupon.pk
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - timedelta(days=delivered_ago),
        paid_amount=order.total,
    )
    order.refresh_from_db()
    return order


def returned(order, staff, *, reason, quantities=None, requested_days_after_delivery=None):
    """A return of `quantities` (all of it by default), received and accepted by the inspection."""
    quantities = quantities or {line.pk: line.quantity for line in order.lines.all()}
    request = requests.submit_return(
        order=order,
        quantities=quantities,
        reason=reason,
        conditions=policy.RETURN_CONDITIONS,
        shipping=ReturnShipping.OWN_SHIPMENT,
        iban=KZ_IBAN,
    )
    if requested_days_after_delivery is not None:
        type(request).objects.filter(pk=request.pk).update(
            created_at=order.delivered_at + timedelta(days=requested_days_after_delivery)
        )
    requests.mark_shipped(request=request, tracking_number="KZ123", role="customer")
    requests.mark_received(request=request, actor=staff)
    return requests.accept_return(request=request, actor=staff)


def coupon_errors_at_checkout() -> list[str]:
    """A new visit: a kettle in the cart, the coupon typed with the customer's e-mail."""
    client = Client(HTTP_ORIGIN="http://testserver")
    kettle = f.product(price="9000.00", stock=5).variants.get()
    assert client.post("/en/cart/add/", {"variant": kettle.pk, "quantity": "1"}).status_code == 302
    response = client.post(CHECKOUT, {"action": "apply_coupon", "coupon_code": "ONCE", "email": EMAIL})
    assert response.status_code == 200
    return list(response.context["form"].errors.get("coupon_code", []))


USED = en("You have already used this coupon.")


def test_cpn3_whole_purchase_returned_for_a_defect_within_14_days_the_customer_may_use_the_coupon_again(staff):
    # given: the customer used their one use of the coupon
    order = bought_with_the_coupon()
    assert Coupon.objects.get(pk=order.coupon_id).times_used == 1
    assert coupon_errors_at_checkout() == [USED]
    # when: everything comes back because of a defect, 2 days after delivery
    returned(order, staff, reason=ReturnReason.DEFECT)
    # then: the use is given back — in the coupon's total and for this customer — once
    order.refresh_from_db()
    assert order.coupon_released_at is not None
    assert Coupon.objects.get(pk=order.coupon_id).times_used == 0
    assert ReturnEvent.objects.filter(request__order=order, action=services.COUPON_REACTIVATED).count() == 1
    assert coupon_errors_at_checkout() == []


def test_cpn3_a_return_for_another_reason_leaves_the_coupon_used(staff):
    order = bought_with_the_coupon()
    returned(order, staff, reason=ReturnReason.CHANGED_MIND)
    order.refresh_from_db()
    assert order.coupon_released_at is None
    assert coupon_errors_at_checkout() == [USED]


def test_cpn3_a_defect_return_requested_after_14_days_leaves_the_coupon_used(staff):
    order = bought_with_the_coupon(delivered_ago=13)
    returned(order, staff, reason=ReturnReason.DEFECT, requested_days_after_delivery=15)
    order.refresh_from_db()
    assert order.coupon_released_at is None
    assert coupon_errors_at_checkout() == [USED]


def test_cpn3_part_of_the_purchase_returned_for_a_defect_leaves_the_coupon_used(staff):
    order = bought_with_the_coupon()
    returned(order, staff, reason=ReturnReason.DEFECT, quantities={order.lines.first().pk: 1})
    assert customer_coupon_uses(order.coupon, EMAIL) == 1
    assert coupon_errors_at_checkout() == [USED]
