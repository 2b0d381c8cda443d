"""Issue 11 follow-ups: the return request's withdrawal form as a PDF (RET-4, item 2) mailed and downloadable by its
owner only; the refund's card named by its last four digits (REF-5, item 7); Finance marking a cash refund done
(REF-4, SUP-2) with least privilege."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.staff_groups import sync_staff_groups
from orders.fulfilment import services as fulfilment
from orders.models import Order, OrderStatus
from payments import services as payment_services
from returns import documents, policy, requests
from returns.models import Refund, ReturnReason, ReturnShipping
from shop.demo_catalogue import demo_seller_details
from shop.models import SellerDetails
from tests import factories as f
from tests.payment_doubles import COD, TEST_CARD, TestCard

pytestmark = pytest.mark.django_db

CUSTOMER = "Әлия Құрманғазиева"
IBAN = "KZ86125KZT5004100100"


@pytest.fixture(autouse=True)
def _shop(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.SHOP_PAYMENT_ADAPTERS = [TEST_CARD, COD]
    TestCard.refunds = []
    TestCard.refuse_refunds = False
    SellerDetails.objects.get_or_create(id=SellerDetails.SINGLE_ROW, defaults=demo_seller_details())
    with translation.override("en"):
        yield


def delivered(user=None, *, method="testcard", **overrides):
    order = f.placed_order(
        f.delivery_setup(), items=(("10000.00", 1), ("3000.00", 2)), user=user, payment_method=method, **overrides
    )
    if method == "testcard":
        fulfilment.confirm_order(order=order, actor=None)
        payment = payment_services.current_attempt(order=order)
        payment_services.record_success(payment=payment, amount=payment.amount, currency="KZT", transaction_id="T")
    Order.objects.filter(pk=order.pk).update(
        status=OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=1), paid_amount=order.total
    )
    order.refresh_from_db()
    return order


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def submit(order, *, language="en", iban="", reason=ReturnReason.CHANGED_MIND, units=2):
    line = order.lines.order_by("pk").last()  # the 2-unit line
    return requests.submit_return(
        order=order,
        quantities={line.pk: units},
        reason=reason,
        conditions=policy.RETURN_CONDITIONS,
        shipping=ReturnShipping.OWN_SHIPMENT,
        iban=iban,
        language=language,
    )


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(email="ann@example.kz", password="pw-123456")


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user(email="bob@example.kz", password="pw-123456")


# --- RET-4, item 2: the request's withdrawal form -------------------------------------------------------------------


def test_ret4_request_pdf_holds_number_customer_lines_reason_and_iban_in_kazakh():
    order = delivered(method="cod", full_name=CUSTOMER)
    request = submit(order, language="kk", iban=IBAN, reason=ReturnReason.DEFECT)
    text = pdf_text(documents.return_request_pdf(request))
    product = order.lines.order_by("pk").last().product_name
    assert request.number in text and order.number in text
    assert "Құрманғазиева" in text
    assert product in text and "× 2" in text
    assert IBAN in text
    assert "Тауарлар" in text and "Сатып алушы" in text  # "Goods", "Customer": the form is in Kazakh


def test_ret4_confirmation_mail_carries_the_request_pdf(django_capture_on_commit_callbacks):
    order = delivered(full_name=CUSTOMER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(order, language="ru")
    (message,) = mail.outbox
    assert message.to == [order.email] and request.number in message.subject + message.body
    ((filename, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and filename == f"withdrawal-{request.number}.pdf"
    text = pdf_text(content)
    assert request.number in text and "Құрманғазиева" in text


def test_ret4_confirmation_tells_of_the_registration_even_when_a_tracking_number_came_with_it(
    django_capture_on_commit_callbacks,
):
    order = delivered()
    line = order.lines.order_by("pk").first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = requests.submit_return(
            order=order,
            quantities={line.pk: 1},
            reason=ReturnReason.DEFECT,
            shipping=ReturnShipping.OWN_SHIPMENT,
            tracking_number="KZ123",
            language="en",
        )
    confirmation = next(m for m in mail.outbox if m.attachments)
    assert "We have registered your return request" in confirmation.body and request.number in confirmation.body


def test_ret4_owner_downloads_the_request_pdf_from_the_page(client, customer):
    order = delivered(customer, full_name=CUSTOMER)
    request = submit(order)
    client.force_login(customer)
    target = url("returns:request_pdf", token=order.access_token, number=request.number)
    assert target in client.get(url("returns:order", token=order.access_token)).content.decode()
    assert target in client.get(url("accounts:returns")).content.decode()
    response = client.get(target)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert request.number in pdf_text(response.content)


def test_ret4_request_pdf_is_404_for_another_customer_and_anonymous(client, customer, other):
    order = delivered(customer)
    request = submit(order)
    theirs = delivered(other)
    targets = [
        url("returns:request_pdf", token=order.access_token, number=request.number),
        url("returns:request_pdf", token=theirs.access_token, number=request.number),  # their link, our number
        url("returns:request_pdf", token="x" * 43, number=request.number),
        url("returns:request_pdf", token=order.access_token, number="V-\x00"),
    ]
    client.force_login(other)
    assert all(client.get(target).status_code == 404 for target in targets)
    client.logout()
    assert all(client.get(target).status_code == 404 for target in targets)
    page = client.get(url("returns:order", token=order.access_token)).content.decode()
    assert "form.pdf" not in page  # the page holds no link it would refuse


def test_ret4_guest_downloads_through_the_secret_link(client):
    order = delivered(method="cod", full_name=CUSTOMER)
    request = submit(order, iban=IBAN)
    target = url("returns:request_pdf", token=order.access_token, number=request.number)
    assert target in client.get(url("returns:order", token=order.access_token)).content.decode()
    response = client.get(target)
    assert response.status_code == 200
    assert IBAN in pdf_text(response.content)
    assert client.post(target).status_code == 405


# --- REF-4, SUP-2: Finance marks a cash refund done ----------------------------------------------------------------


@pytest.fixture
def staff_users(django_user_model):
    sync_staff_groups()
    support = django_user_model.objects.create_user(email="sup@example.kz", password="x", is_staff=True)
    support.groups.add(Group.objects.get(name="Support"))
    finance = django_user_model.objects.create_user(email="fin@example.kz", password="x", is_staff=True)
    finance.groups.add(Group.objects.get(name="Finance"))
    return support, finance


def accepted_cash_return(support):
    order = delivered(method="cod")
    request = submit(order, iban=IBAN, reason=ReturnReason.DEFECT)
    requests.mark_received(request=request, actor=support)
    return order, requests.accept_return(request=request, actor=support)


def test_ref4_finance_marks_a_cash_refund_done_with_the_transfer_reference(
    client, staff_users, django_capture_on_commit_callbacks
):
    support, finance = staff_users
    order, request = accepted_cash_return(support)
    refund = request.refund
    done = url("admin:returns_refund_transfer_done", object_id=refund.pk)
    client.force_login(finance)
    page = client.get(done)
    assert page.status_code == 200 and IBAN in page.content.decode()
    assert client.post(done, {"reference": ""}).status_code == 200  # asked again, nothing marked
    assert client.post(done, {"reference": "PP\x00-1"}).status_code < 500
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DUE and refund.refunded_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(done, {"reference": "PP-2026-000417"})
    assert response.status_code == 302
    refund.refresh_from_db()
    request.refresh_from_db()
    assert refund.status == Refund.Status.DONE and refund.provider_reference == "PP-2026-000417"
    assert refund.refunded_at is not None and refund.refunded_at <= timezone.now()
    assert request.state == "refunded"
    assert any("to the bank account ending 0100" in m.body for m in mail.outbox if m.to == [order.email])
    # a second click changes nothing
    first_done_at = refund.refunded_at
    client.post(done, {"reference": "PP-other"})
    refund.refresh_from_db()
    assert refund.refunded_at == first_done_at and refund.provider_reference == "PP-2026-000417"


def test_ref4_support_may_not_mark_a_cash_refund_done(client, staff_users):
    support, _finance = staff_users
    _order, request = accepted_cash_return(support)
    done = url("admin:returns_refund_transfer_done", object_id=request.refund.pk)
    client.force_login(support)
    assert client.get(done).status_code == 403
    assert client.post(done, {"reference": "PP-1"}).status_code == 403
    request.refund.refresh_from_db()
    assert request.refund.status == Refund.Status.DUE and request.refund.provider_reference == ""


def test_sup2_finance_still_cannot_change_orders_or_returns(client, staff_users):
    support, finance = staff_users
    order, request = accepted_cash_return(support)
    client.force_login(finance)
    # it may look …
    assert client.get(url("admin:returns_returnrequest_change", object_id=request.pk)).status_code == 200
    # … but not change an order, a request or a refund, nor decide a return
    order_change = url("admin:orders_order_change", object_id=order.pk)
    assert client.post(order_change, {"status": "cancelled"}).status_code == 403
    assert client.post(url("admin:returns_returnrequest_change", object_id=request.pk), {}).status_code == 403
    assert client.post(url("admin:returns_refund_change", object_id=request.refund.pk), {}).status_code == 403
    assert client.post(url("admin:returns_returnrequest_receive", object_id=request.pk)).status_code == 403
    assert (
        client.post(url("admin:returns_returnrequest_delete", object_id=request.pk), {"post": "yes"}).status_code == 403
    )
    for perm in (
        "orders.change_order",
        "returns.change_returnrequest",
        "returns.decide_return",
        "returns.change_refund",
    ):
        assert not finance.has_perm(perm), perm
    order.refresh_from_db()
    request.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and request.state == "accepted"


def test_ref4_a_card_refund_cannot_be_marked_done_by_transfer(client, staff_users, customer):
    support, finance = staff_users
    order = delivered(customer)
    request = submit(order, reason=ReturnReason.DEFECT)
    requests.mark_received(request=request, actor=support)
    refund = requests.accept_return(request=request, actor=support).refund
    client.force_login(finance)
    client.post(url("admin:returns_refund_transfer_done", object_id=refund.pk), {"reference": "PP-1"})
    refund.refresh_from_db()
    assert refund.provider_reference == "" and refund.status != Refund.Status.DONE


# --- Item 4 fixes seen on the screenshots -------------------------------------------------------------------------


def test_item7_russian_timeline_writes_the_day_in_the_genitive(client, customer):
    """ "Отправьте посылку до 16 декабря", never the bare month name "16 Декабрь"."""
    order = delivered(customer)
    request = submit(order, language="ru")
    client.force_login(customer)
    with translation.override("ru"):
        body = client.get(reverse("returns:order", kwargs={"token": order.access_token})).content.decode()
    send_back_by = request.send_back_by
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря"]  # fmt: skip
    assert f"{send_back_by.day} {months[send_back_by.month - 1]}" in body
    assert "Декабрь" not in body and "Январь" not in body


def test_ret3_a_line_fully_requested_says_so_instead_of_up_to_0(client, customer):
    order = delivered(customer)
    submit(order, units=2)  # both units of the 2-unit line
    client.force_login(customer)
    body = client.get(url("returns:order", token=order.access_token)).content.decode()
    assert "Every unit is already in a return request." in body and "up to 0" not in body
