"""The customer's return pages and support's admin (issue 11, items 2, 7, 8): the form from the order, guests by number
+ e-mail (rate-limited, one answer for every miss), the timeline, uploads refused with nothing saved, nobody reaching
another customer's requests, the returns queue and the refund confirmation page."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from accounts.staff_groups import sync_staff_groups
from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderStatus
from payments import services as payment_services
from returns import policy, requests
from returns.models import Refund, ReturnPhoto, ReturnReason, ReturnRequest, ReturnShipping, ReturnState
from tests import factories as f
from tests.payment_doubles import COD, TEST_CARD, TestCard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shop(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    TestCard.refunds = []
    TestCard.refuse_refunds = False
    with translation.override("en"), override_settings(SHOP_PAYMENT_ADAPTERS=[TEST_CARD, COD]):
        yield


def delivered(user=None, *, method="testcard", items=(("10000.00", 1), ("3000.00", 2))):
    order = f.placed_order(f.delivery_setup(), items=items, user=user, payment_method=method)
    if method == "testcard":  # a real succeeded card payment for the refund to go back through
        fulfilment.confirm_order(order=order, actor=None)
        payment = payment_services.current_attempt(order=order)
        payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=1), paid_amount=order.total
    )
    order.refresh_from_db()
    return order


def page(order):
    return f"/en{reverse('returns:order', kwargs={'token': order.access_token})}".replace("/en/en/", "/en/")


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def form_data(order, **overrides):
    line = order.lines.first()
    data = {
        f"line_{line.pk}": "1",
        "reason": ReturnReason.CHANGED_MIND,
        "conditions": list(policy.RETURN_CONDITIONS),
        "shipping": ReturnShipping.OWN_SHIPMENT,
        "tracking_number": "",
    }
    data.update(overrides)
    return data


def png(size=(64, 64)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="ann@example.kz", password="pw-123456")


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user(email="bob@example.kz", password="pw-123456")


# --- RET-3/RET-4 from the order, item 7 ---------------------------------------------------------------------------


def test_ret4_customer_returns_one_item_from_the_order_and_sees_the_timeline(
    client, customer, django_capture_on_commit_callbacks
):
    order = delivered(customer)
    client.force_login(customer)
    detail = client.get(url("orders:detail", token=order.access_token))
    assert url("returns:order", token=order.access_token) in detail.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("returns:order", token=order.access_token), form_data(order, photos=[png(), png()]), follow=True
        )
    request = ReturnRequest.objects.get()
    body = response.content.decode()
    assert request.number in body and "Send the parcel by" in body
    assert request.user == customer and request.photos.count() == 2
    assert [m.to for m in mail.outbox] == [[order.email]]
    cabinet = client.get(url("accounts:returns")).content.decode()
    assert request.number in cabinet and "Send the parcel by" in cabinet


def test_item7_the_timeline_names_the_refund_deadline_and_card(client, customer, django_user_model):
    order = delivered(customer)
    request = requests.submit_return(
        order=order,
        quantities={order.lines.first().pk: 1},
        reason=ReturnReason.DEFECT,
        shipping=ReturnShipping.COURIER_PICKUP,
    )
    staff = django_user_model.objects.create_superuser(email="s@example.kz", password="x")
    requests.mark_received(request=request, actor=staff)
    requests.accept_return(request=request, actor=staff)
    client.force_login(customer)
    body = client.get(url("returns:order", token=order.access_token)).content.decode()
    assert "Refund of" in body and "due by" in body and "to the card you paid with" in body


def test_ret4_uploads_that_are_not_photos_are_refused_and_nothing_is_saved(client, customer):
    order = delivered(customer)
    client.force_login(customer)
    target = url("returns:order", token=order.access_token)
    bad = [
        [SimpleUploadedFile("x.png", b"MZ not an image", content_type="image/png")],
        [png() for _ in range(6)],  # too many
    ]
    for photos in bad:
        response = client.post(target, form_data(order, photos=photos))
        assert response.status_code == 400
    with override_settings(SHOP_RETURN_PHOTO_MAX_BYTES=1000):
        assert client.post(target, form_data(order, photos=[png((400, 400))])).status_code == 400
    with override_settings(SHOP_RETURN_PHOTO_MAX_PIXELS=100):  # decompression bomb: refused from its header
        response = client.post(target, form_data(order, photos=[png((64, 64))]))
        assert response.status_code == 400 and "too many pixels" in response.content.decode()
    assert not ReturnRequest.objects.exists() and not ReturnPhoto.objects.exists()


def test_bad_input_is_a_message_never_a_500(client, customer):
    order = delivered(customer)
    client.force_login(customer)
    target = url("returns:order", token=order.access_token)
    line = order.lines.first()
    for value in ("-1", "99", "abc", "1\x00"):
        response = client.post(target, form_data(order, **{f"line_{line.pk}": value}))
        assert response.status_code == 400
    assert client.post(target, form_data(order, description="\x00")).status_code == 400
    assert not ReturnRequest.objects.exists()


def test_ref4_cod_order_asks_for_a_valid_iban(client):
    order = delivered(method="cod")
    target = url("returns:order", token=order.access_token)
    response = client.post(target, form_data(order, iban="KZ00 0000"))
    assert response.status_code == 400 and "IBAN" in response.content.decode()
    client.post(target, form_data(order, iban="KZ86125KZT5004100100"))
    assert ReturnRequest.objects.get().iban == "KZ86125KZT5004100100"


# --- Guests: number + e-mail ------------------------------------------------------------------------------------


def test_ret4_guest_finds_the_order_with_one_answer_for_every_miss_and_is_rate_limited(client):
    order = delivered()
    target = url("returns:find")
    found = client.post(target, {"number": order.number, "email": order.email})
    assert found.status_code == 302 and found["Location"].endswith(f"/returns/o/{order.access_token}/")
    wrong_mail = client.post(target, {"number": order.number, "email": "x@example.kz"}).content.decode()
    no_order = client.post(target, {"number": "99999999", "email": order.email}).content.decode()

    def strip(text):
        for value in ("99999999", order.number, "x@example.kz", order.email):
            text = text.replace(value, "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert strip(wrong_mail) == strip(no_order)
    with override_settings(SHOP_RETURN_LOOKUP_RATE_LIMIT="3/h"):
        assert client.post(target, {"number": order.number, "email": order.email}).status_code == 429


# --- Security: nobody reaches another customer's requests ------------------------------------------------------


def test_another_customer_and_anonymous_get_404_on_every_url(client, customer, other):
    order = delivered(customer)
    request = requests.submit_return(
        order=order,
        quantities={order.lines.first().pk: 1},
        reason=ReturnReason.CHANGED_MIND,
        conditions=policy.RETURN_CONDITIONS,
        shipping=ReturnShipping.OWN_SHIPMENT,
    )
    stranger = delivered(other)
    client.force_login(other)
    # the other customer's own cabinet never lists it
    assert request.number not in client.get(url("accounts:returns")).content.decode()
    guesses = [
        ("get", url("returns:order", token="x" * 43)),
        ("post", url("returns:cancel", token="x" * 43, number=request.number)),
        ("post", url("returns:sent", token="x" * 43, number=request.number)),
        # their own order's link with someone else's request number
        ("post", url("returns:cancel", token=stranger.access_token, number=request.number)),
        ("post", url("returns:sent", token=stranger.access_token, number=request.number)),
    ]
    for session in ("other", "anonymous"):
        if session == "anonymous":
            client.logout()
            assert client.get(url("accounts:returns")).status_code == 302  # to the login page
        for method, target in guesses:
            assert getattr(client, method)(target, {"tracking_number": "1"}).status_code == 404, target
    request.refresh_from_db()
    assert request.state == ReturnState.SUBMITTED


# --- Admin (SUP-2): queue, decisions, confirmation page, least privilege ---------------------------------------


@pytest.fixture
def staff_users(django_user_model):
    sync_staff_groups()
    support = django_user_model.objects.create_user(email="sup@example.kz", password="x", is_staff=True)
    support.groups.add(Group.objects.get(name="Support"))
    finance = django_user_model.objects.create_user(email="fin@example.kz", password="x", is_staff=True)
    finance.groups.add(Group.objects.get(name="Finance"))
    return support, finance


def test_sup2_support_receives_and_accepts_finance_sends_from_the_confirmation_page(
    client, staff_users, django_capture_on_commit_callbacks
):
    support, finance = staff_users
    order = delivered()
    request = requests.submit_return(
        order=order,
        quantities={order.lines.first().pk: 1},
        reason=ReturnReason.DEFECT,
        shipping=ReturnShipping.COURIER_PICKUP,
    )
    change = url("admin:returns_returnrequest_change", object_id=request.pk)
    client.force_login(finance)
    assert client.get(change).status_code == 200
    assert client.post(url("admin:returns_returnrequest_receive", object_id=request.pk)).status_code == 403
    client.force_login(support)
    client.post(url("admin:returns_returnrequest_receive", object_id=request.pk))
    inspect = url("admin:returns_returnrequest_inspect", object_id=request.pk)
    assert client.post(inspect, {"decision": "deduct", "deduction": "100"}).status_code == 200  # no reason: asked
    client.post(inspect, {"decision": "deduct", "deduction": "100", "reason": "scratch on the lid"})
    request.refresh_from_db()
    refund = request.refund
    assert request.state == ReturnState.ACCEPTED and refund.deductions == Decimal("100.00")
    assert refund.delivery_amount == order.delivery_cost  # REF-2: a defect refunds the delivery
    send = url("admin:returns_refund_send", object_id=refund.pk)
    assert client.get(send).status_code == 403  # support never sends money
    client.force_login(finance)
    confirmation = client.get(send).content.decode()
    assert str(refund.amount) in confirmation and "scratch on the lid" in confirmation and "Test card" in confirmation
    assert client.post(send, {"amount": str(refund.amount + 1)}).status_code == 200  # above what is left: refused
    assert TestCard.refunds == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(send, {"amount": str(refund.amount)}, follow=True)
    assert "The refund was sent." in sent.content.decode()
    request.refresh_from_db()
    assert request.state == ReturnState.REFUNDED and len(TestCard.refunds) == 1
    actions = list(request.events.values_list("action", flat=True))
    assert actions == ["submit", "receive", "accept", "refund"]
    assert request.events.get(action="accept").actor == support


def test_sup2_queue_filters_and_search_at_a_constant_query_count(
    admin_client, django_assert_max_num_queries, staff_users
):
    for _ in range(3):
        order = delivered()
        requests.submit_return(
            order=order,
            quantities={order.lines.first().pk: 1},
            reason=ReturnReason.DEFECT,
            shipping=ReturnShipping.COURIER_PICKUP,
        )
    changelist = url("admin:returns_returnrequest_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client.get(changelist)
    assert response.status_code == 200
    number = ReturnRequest.objects.first().number
    for query in (f"?q={number}", "?overdue=yes", "?state=submitted", "?reason=defect", "?payment_method=testcard"):
        assert admin_client.get(changelist + query).status_code == 200
    assert number in admin_client.get(changelist + f"?q={number}").content.decode()


def test_ref4_finance_marks_a_cash_refund_done(client, staff_users):
    support, finance = staff_users
    order = delivered(method="cod")
    request = requests.submit_return(
        order=order,
        quantities={order.lines.first().pk: 1},
        reason=ReturnReason.DEFECT,
        shipping=ReturnShipping.COURIER_PICKUP,
        iban="KZ86125KZT5004100100",
    )
    requests.mark_received(request=request, actor=support)
    refund = requests.accept_return(request=request, actor=support).refund
    done = url("admin:returns_refund_transfer_done", object_id=refund.pk)
    client.force_login(support)
    assert client.post(done, {"reference": "PP-1"}).status_code == 403
    client.force_login(finance)
    assert "KZ86125KZT5004100100" in client.get(done).content.decode()
    client.post(done, {"reference": "PP-1"})
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DONE and refund.provider_reference == "PP-1"


def test_cabinet_returns_and_claims_at_a_constant_query_count(client, customer, django_assert_max_num_queries):
    """Item 7 / performance: the cabinet's list costs the same queries for 1 request as for 4."""
    client.force_login(customer)

    def make():
        order = delivered(customer)
        requests.submit_return(
            order=order,
            quantities={order.lines.first().pk: 1, order.lines.all()[1].pk: 1},
            reason=ReturnReason.DEFECT,
            shipping=ReturnShipping.COURIER_PICKUP,
        )

    make()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("accounts:returns")).status_code == 200
    for _ in range(3):
        make()
    with django_assert_max_num_queries(len(one)):
        body = client.get(url("accounts:returns")).content.decode()
    assert body.count('class="return-request') == 4


def _more_requests_like(request, count: int) -> None:
    """`count` more requests of the same order and lines, written straight to the tables (the page is under test
    here, not the services), each a minute older than the one before."""
    from returns.models import ReturnLine

    lines = list(request.lines.all())
    for n in range(count):
        copy = ReturnRequest.objects.get(pk=request.pk)
        copy.pk = None
        copy.number = f"{request.number}-{n}"
        copy.created_at = request.created_at - timedelta(minutes=n + 1)
        copy.save()
        ReturnLine.objects.bulk_create(
            ReturnLine(request=copy, order_line=line.order_line, quantity=line.quantity) for line in lines
        )


def test_acc3_returns_and_claims_is_paged_with_the_same_queries_for_1_and_60_requests(
    client, customer, django_assert_max_num_queries
):
    """ACC-3 / item 7: the cabinet's "Returns and claims" lists every request a page at a time (no longer only the
    50 newest), at a constant number of queries, with links to the other pages; a bad page number is no error."""
    # given: one request
    client.force_login(customer)
    order = delivered(customer, method="cod")
    first = requests.submit_return(
        order=order,
        quantities={order.lines.first().pk: 1},
        reason=ReturnReason.DEFECT,
        shipping=ReturnShipping.COURIER_PICKUP,
        iban="KZ86125KZT5004100100",
    )
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("accounts:returns")).status_code == 200
    # when: 60 in all
    _more_requests_like(first, 59)
    with django_assert_max_num_queries(len(one)):
        body = client.get(url("accounts:returns")).content.decode()
    # then: the newest page, with the pagination links
    per_page = 20
    assert body.count('class="return-request') == per_page
    assert f"Return {first.number}-0" in body and f"Return {first.number}-58" not in body  # newest first
    assert '<nav class="pagination"' in body and 'aria-current="page"' in body and "?page=3" in body
    with django_assert_max_num_queries(len(one)):
        last = client.get(url("accounts:returns") + "?page=3").content.decode()
    assert last.count('class="return-request') == per_page
    assert f"Return {first.number}-58" in last and f"Return {first.number}-0" not in last  # the oldest last
    # bad page numbers: the first or the last page, never an error
    assert client.get(url("accounts:returns") + "?page=abc").content.decode().count('class="return-request') == 20
    beyond = client.get(url("accounts:returns") + "?page=999")
    assert beyond.status_code == 200 and f"Return {first.number}-58" in beyond.content.decode()
    assert client.get(url("accounts:returns") + "?page=-1").status_code == 200
