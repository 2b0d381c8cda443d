"""Warranty claims (issue 12): the claim form for signed-in customers and guests (WAR-3), refusal outside the windows
with the reason and dates (WAR-2), the register's numbers and e-mail, the customer's timeline (WAR-6), attachments
validated, each remedy recorded by staff (WAR-4, REF-2), the overdue sweep (WAR-6, SUP-2), least privilege for
staff, and another customer's claims and documents out of reach."""

import re
from datetime import timedelta
from decimal import Decimal

import html5lib
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from loyalty import returned_goods
from orders.models import Order
from returns import policy as return_policy
from returns import requests as return_requests
from returns import services as refund_services
from returns.models import Refund, ReturnReason, ReturnShipping
from returns.warranty import deadlines, services
from returns.warranty.models import WarrantyAttachment, WarrantyClaim, WarrantyClaimCounter, WarrantyClaimEvent
from returns.warranty.policy import add_months
from returns.warranty.views import claim_rate_limit
from shop.models import Product
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


@pytest.fixture
def setup():
    return f.delivery_setup()


@pytest.fixture(autouse=True)
def _fresh_claim_rate_limit():
    """The guest lookup's per-IP counters live in the shared cache: every test starts with none."""
    redis = cache._cache.get_client(write=True)
    for key in redis.scan_iter(match=cache.make_key(f"{claim_rate_limit.prefix}:*")):
        redis.delete(key)


def delivered_order(setup, *, days_ago=30, warranty_months=12, user=None, paid=True, price="20000.00"):
    """A placed order marked delivered `days_ago` days ago (and paid), its line with `warranty_months`."""
    order = f.placed_order(setup, items=((price, 1),), user=user)
    delivered_at = timezone.now() - timedelta(days=days_ago)
    Order.objects.filter(pk=order.pk).update(
        status="delivered", delivered_at=delivered_at, paid_amount=order.total if paid else 0
    )
    order.lines.update(warranty_months=warranty_months)
    order.refresh_from_db()
    return order


def claim_data(order, **overrides):
    values = {
        "description": "Не включается после недели работы",
        "defect_found_on": deadlines.today() - timedelta(days=3),
        "preferred_remedy": "repair",
        "contact_name": "Әлия Қасымқызы",
        "contact_email": order.email,
        "contact_phone": order.phone,
    }
    values.update(overrides)
    return services.ClaimData(**values)


def form_post(order, **overrides):
    values = {
        "order_line": order.lines.get().pk,
        "serial_number": "SN-123",
        "description": "Не включается",
        "defect_found_on": (deadlines.today() - timedelta(days=2)).isoformat(),
        "preferred_remedy": "repair",
        "contact_name": "Әлия Қасымқызы",
        "contact_email": order.email,
        "contact_phone": "+77011234567",
    }
    values.update(overrides)
    return values


def file(order, **overrides):
    return services.file_claim(order=order, order_line=order.lines.get(), data=claim_data(order, **overrides))


# --- WAR-3: the register and the e-mail -----------------------------------------------------------------------------


def test_war3_claim_gets_the_years_next_number_and_a_mail_with_number_and_product(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    order = delivered_order(setup)
    year = deadlines.today().year
    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = file(order)
        second = file(order)
    # then
    assert first.number == f"W-{year}-0001" and second.number == f"W-{year}-0002"
    assert first.due_by == add_months(deadlines.today(), 1)  # WAR-6
    assert first.defect_presumed  # WAR-5: found within 6 months of delivery
    assert first.warranty_start_basis == "delivery"
    assert len(mailoutbox) == 2
    assert first.number in mailoutbox[0].subject
    assert order.lines.get().product_name in mailoutbox[0].body
    assert f"/warranty/c/{first.access_token}/" in mailoutbox[0].body
    assert list(first.events.values_list("kind", flat=True)) == ["received"]


def test_war5_presumption_off_after_six_months(setup):
    order = delivered_order(setup, days_ago=250)
    claim = file(order, defect_found_on=deadlines.today() - timedelta(days=5))
    assert not claim.defect_presumed


# --- WAR-2: refusals, with the reason and the dates -----------------------------------------------------------------


def test_war2_claim_after_the_warranty_is_refused_with_reason_and_dates(setup, client):
    # given: delivered 13 months ago with 12 months of warranty
    order = delivered_order(setup, days_ago=400)
    # when
    response = client.post(reverse("warranty:new", args=[order.access_token]), form_post(order))
    # then
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="claim-refusal"' in page
    last_day = response.context["refusal"]["window"].warranty_last_day
    assert last_day.strftime("%d.%m.%Y") in page
    assert not WarrantyClaim.objects.exists()
    assert not WarrantyClaimCounter.objects.filter(last_number__gt=0).exists()


def test_war2_defect_found_more_than_two_months_ago_is_refused(setup):
    order = delivered_order(setup, days_ago=200)
    with pytest.raises(services.ClaimRefused) as refused:
        file(order, defect_found_on=deadlines.today() - timedelta(days=70))
    assert refused.value.window.refusal == "reported_too_late"
    assert refused.value.window.report_last_day < deadlines.today()


def test_war2_undelivered_order_has_no_warranty_yet(setup):
    order = f.placed_order(setup)
    with pytest.raises(services.ClaimRefused) as refused:
        file(order)
    assert refused.value.window.refusal == "no_start"


def test_war2_legal_minimum_setting_extends_a_short_warranty(setup, settings):
    order = delivered_order(setup, days_ago=400, warranty_months=12)
    settings.SHOP_WARRANTY_LEGAL_MINIMUM_MONTHS = 24
    claim = file(order)
    assert claim.warranty_last_day == add_months(deadlines.local_day(order.delivered_at), 24)


# --- WAR-3: the form, signed in and as a guest ----------------------------------------------------------------------


def test_war3_customer_files_from_the_order_page_with_attachments_and_sees_the_timeline(
    setup, client, django_user_model, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    user = django_user_model.objects.create_user(email="aliya@example.kz", password="pw-123456")
    client.force_login(user)
    order = delivered_order(setup, user=user)
    page = client.get(order.get_absolute_url())
    claim_url = reverse("warranty:new", args=[order.access_token])
    assert claim_url in page.content.decode()
    photo = SimpleUploadedFile("photo.png", f.png_bytes(), content_type="image/png")
    receipt = SimpleUploadedFile("чек.pdf", PDF_BYTES, content_type="application/pdf")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(claim_url, {**form_post(order), "attachments": [photo, receipt]})
    # then
    claim = WarrantyClaim.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("warranty:claim", args=[claim.access_token])
    assert claim.user == user and claim.serial_number == "SN-123"
    assert sorted(claim.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    timeline = client.get(response["Location"])
    text = timeline.content.decode()
    assert claim.number in text
    assert claim.due_by.strftime("%d.%m.%Y") in text  # "answer due by …"
    assert "Получена" in text or "Received" in text
    mine = client.get(reverse("warranty:mine"))
    assert claim.number in mine.content.decode()
    assert reverse("warranty:mine") in client.get(reverse("accounts:returns")).content.decode()
    attachment = claim.attachments.get(content_type="image/png")
    download = client.get(reverse("warranty:attachment", args=[claim.access_token, attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("virus.exe", b"MZ\x90\x00\x03", "application/octet-stream"),
        ("doc.pdf", b"not a pdf at all", "application/pdf"),
    ],
)
def test_war3_bad_attachment_refused_with_a_message_and_nothing_saved(setup, client, name, content, content_type):
    order = delivered_order(setup)
    bad = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(
        reverse("warranty:new", args=[order.access_token]), {**form_post(order), "attachments": [bad]}
    )
    assert response.status_code == 422
    assert "PDF" in response.content.decode()
    assert response.context["form"].errors["attachments"]
    assert not WarrantyClaim.objects.exists() and not WarrantyAttachment.objects.exists()


def test_war3_too_many_or_too_large_attachments_refused(setup, client, settings):
    order = delivered_order(setup)
    settings.SHOP_WARRANTY_MAX_ATTACHMENTS = 2
    files = [SimpleUploadedFile(f"p{n}.png", f.png_bytes(), content_type="image/png") for n in range(3)]
    response = client.post(
        reverse("warranty:new", args=[order.access_token]), {**form_post(order), "attachments": files}
    )
    assert response.status_code == 422 and response.context["form"].errors["attachments"]
    settings.SHOP_WARRANTY_MAX_ATTACHMENT_BYTES = 100
    big = SimpleUploadedFile("big.png", f.png_bytes(size=(300, 300)), content_type="image/png")
    response = client.post(
        reverse("warranty:new", args=[order.access_token]), {**form_post(order), "attachments": [big]}
    )
    assert response.status_code == 422 and response.context["form"].errors["attachments"]
    assert not WarrantyClaim.objects.exists()


def test_war3_hostile_text_and_dates_answer_4xx_not_500(setup, client):
    order = delivered_order(setup)
    url = reverse("warranty:new", args=[order.access_token])
    for overrides in (
        {"description": "bad\x00text"},
        {"defect_found_on": "2026-13-45"},
        {"defect_found_on": (deadlines.today() + timedelta(days=3)).isoformat()},
        {"amount_claimed": "-5", "preferred_remedy": "refund"},
        {"order_line": "999999999"},
        {"description": "x" * 5000},
    ):
        response = client.post(url, form_post(order, **overrides))
        assert response.status_code == 422, overrides
    assert not WarrantyClaim.objects.exists()
    assert client.get(reverse("warranty:new", args=["nope\x00"])).status_code == 404


def test_war3_guest_finds_the_order_by_number_and_email_same_answer_for_any_miss(setup, client):
    order = delivered_order(setup)
    url = reverse("warranty:find")
    found = client.post(url, {"number": order.number, "email": order.email.upper()})
    assert found.status_code == 302 and found["Location"] == reverse("warranty:new", args=[order.access_token])
    wrong_mail = client.post(url, {"number": order.number, "email": "other@example.kz"})
    unknown = client.post(url, {"number": "99999999", "email": order.email})
    assert wrong_mail.status_code == unknown.status_code == 200
    assert wrong_mail.context["not_found"] and unknown.context["not_found"]
    assert wrong_mail.content.decode().count("sr-alert") == unknown.content.decode().count("sr-alert")


def test_war3_guest_lookup_is_rate_limited(setup, client, settings):
    settings.SHOP_WARRANTY_CLAIM_RATE_LIMIT = "2/h"
    url = reverse("warranty:find")
    codes = [client.post(url, {"number": "12345678", "email": "x@example.kz"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# --- Security: another customer's claims and documents ---------------------------------------------------------------


def test_another_customers_claim_and_documents_are_404(setup, client, django_user_model):
    owner = django_user_model.objects.create_user(email="owner@example.kz", password="pw-123456")
    order = delivered_order(setup, user=owner)
    claim = file(order)
    WarrantyAttachment.objects.create(
        claim=claim,
        file=SimpleUploadedFile("a.png", f.png_bytes()),
        original_name="a.png",
        content_type="image/png",
        size=10,
    )
    other = django_user_model.objects.create_user(email="other@example.kz", password="pw-123456")
    attachment = claim.attachments.get()
    for who in (None, other):
        if who:
            client.force_login(who)
        for url in (
            reverse("warranty:claim", args=["x" * 43]),
            reverse("warranty:document", args=["x" * 43, "complaint"]),
            reverse("warranty:attachment", args=["x" * 43, attachment.pk]),
        ):
            assert client.get(url).status_code == 404
    # the other customer's cabinet lists none of the owner's claims
    assert claim.number not in client.get(reverse("warranty:mine")).content.decode()
    # the act exists only once the claim is resolved
    assert client.get(reverse("warranty:document", args=[claim.access_token, "act"])).status_code == 404
    # an attachment of another claim is not reachable through this claim's link
    second = file(delivered_order(setup))
    assert client.get(reverse("warranty:attachment", args=[second.access_token, attachment.pk])).status_code == 404


# --- WAR-4: the remedies, recorded by staff ----------------------------------------------------------------------


@pytest.fixture
def support_user(django_user_model):
    user = django_user_model.objects.create_user(email="support@example.kz", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name="Support"))
    return user


@pytest.fixture
def finance_user(django_user_model):
    user = django_user_model.objects.create_user(email="finance@example.kz", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name="Finance"))
    return user


def test_war4_repair_through_the_service_centre_then_resolved_with_the_act_mailed(
    setup, client, support_user, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    claim = file(delivered_order(setup))
    client.force_login(support_user)
    act_url = lambda action: reverse("admin:returns_warrantyclaim_act", args=[claim.pk, action])  # noqa: E731
    # when
    examined = client.post(act_url("examine"), {"service_centre": "Сервис-Алматы", "reference": "SC-77"})
    with django_capture_on_commit_callbacks(execute=True):
        resolved = client.post(
            act_url("resolve"), {"remedy": "repair", "note": "Заменена плата", "service_reference": "SC-77/2"}
        )
    # then
    assert examined.status_code == resolved.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "resolved" and claim.remedy == "repair"
    assert claim.service_centre == "Сервис-Алматы" and claim.service_reference == "SC-77/2"
    assert claim.sent_to_service_on and claim.back_from_service_on
    kinds = list(claim.events.values_list("kind", "actor"))
    assert kinds == [("received", None), ("examination", support_user.pk), ("resolved", support_user.pk)]
    mail = mailoutbox[-1]
    assert claim.number in mail.subject
    assert [(name, kind) for name, _data, kind in mail.attachments] == [(f"act-{claim.number}.pdf", "application/pdf")]
    assert mail.attachments[0][1].startswith(b"%PDF")


def test_war4_refund_remedy_owes_a_refund_with_delivery_included(setup, support_user):
    order = delivered_order(setup, price="20000.00")
    claim = file(order, preferred_remedy="refund", amount_claimed=Decimal("20000"))
    resolved = services.resolve(claim=claim, actor=support_user, remedy="refund")
    refund = resolved.refund
    assert refund.reason == Refund.Reason.WARRANTY and refund.status == Refund.Status.DUE
    line = order.lines.get()
    assert refund.goods_amount == line.paid_total
    assert refund.delivery_amount == order.delivery_cost  # REF-2: defective goods, delivery comes back
    assert refund.amount == refund.goods_amount + refund.delivery_amount
    assert refund.due_by is not None and refund.payment_method == order.payment_method
    assert list(refund.lines.values_list("order_line", "quantity", "amount")) == [(line.pk, 1, line.paid_total)]


def test_war4_ref2_loy9_a_warranty_refund_is_built_by_the_one_refund_path_of_returns(
    setup, support_user, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """WAR-4 / REF-1, REF-2, LOY-9: the refund remedy of a warranty claim and an accepted return for a defect are
    built by the same function (returns.services._create_refund, through refund_for_returned_goods): the same
    breakdown for the same unit (delivery back: the goods were defective), the same RF-nnnnnn numbering and order
    event, the bonuses settled once per refund, the same mail when the money goes back."""
    # given: two identical orders, one unit each; a spy on the one refund creation and on the loyalty settlement
    built, settled = [], []
    create_refund, goods_returned = refund_services._create_refund, returned_goods.goods_returned

    def spy_create_refund(**kwargs):
        built.append(kwargs["reason"])
        return create_refund(**kwargs)

    def spy_goods_returned(**kwargs):
        settled.append(kwargs["key"])
        return goods_returned(**kwargs)

    monkeypatch.setattr(refund_services, "_create_refund", spy_create_refund)
    monkeypatch.setattr(returned_goods, "goods_returned", spy_goods_returned)
    returned, claimed = delivered_order(setup, days_ago=3), delivered_order(setup, days_ago=3)
    # when: one comes back as a return for a defect, the other is refunded under warranty
    request = return_requests.submit_return(
        order=returned,
        quantities={returned.lines.get().pk: 1},
        reason=ReturnReason.DEFECT,
        conditions=return_policy.RETURN_CONDITIONS,
        shipping=ReturnShipping.OWN_SHIPMENT,
        iban="KZ86125KZT5004100100",
    )
    return_requests.mark_shipped(request=request, tracking_number="KZ1", role="customer")
    return_requests.mark_received(request=request, actor=support_user)
    by_return = return_requests.accept_return(request=request, actor=support_user).refund
    claim = file(claimed, preferred_remedy="refund")
    by_warranty = services.resolve(claim=claim, actor=support_user, remedy="refund").refund
    # then: one function built both, with the same rules
    assert built == [Refund.Reason.RETURN, Refund.Reason.WARRANTY]
    assert settled == [f"return:{request.pk}", f"warranty:{claim.pk}"]

    def breakdown(refund):
        return (refund.goods_amount, refund.delivery_amount, refund.deductions, refund.bonus_clawback, refund.amount)

    line = claimed.lines.get()
    assert breakdown(by_warranty) == breakdown(by_return)
    assert breakdown(by_warranty) == (
        line.paid_total,
        claimed.delivery_cost,
        0,
        0,
        line.paid_total + claimed.delivery_cost,
    )
    for refund in (by_return, by_warranty):
        assert re.fullmatch(r"RF-\d{6}", refund.number)
        assert refund.due_by is not None and refund.payment_method == refund.order.payment_method
        assert refund.order.events.filter(message=f"{refund.number}: {refund.amount} KZT").count() == 1
    # and the customer hears of the money the same way
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for refund in (by_return, by_warranty):
            refund_services.mark_cash_refund_done(refund=refund, bank_reference="PP-1", actor=support_user)
    sent = [m for m in mailoutbox if by_return.number in m.subject or by_warranty.number in m.subject]
    assert [m.to for m in sent] == [[returned.email], [claimed.email]]
    assert sent[0].subject.replace(by_return.number, "RF") == sent[1].subject.replace(by_warranty.number, "RF")
    assert by_return.number in sent[0].body and by_warranty.number in sent[1].body


def test_war4_price_reduction_needs_its_amount_and_exchange_keeps_the_new_line(setup, support_user):
    claim = file(delivered_order(setup))
    with pytest.raises(ValueError):
        services.resolve(claim=claim, actor=support_user, remedy="price_reduction")
    services.resolve(claim=claim, actor=support_user, remedy="price_reduction", amount=Decimal("3000"))
    claim.refresh_from_db()
    assert claim.remedy == "price_reduction" and claim.remedy_amount == Decimal("3000")
    replacement = delivered_order(setup).lines.get()
    other = file(delivered_order(setup), preferred_remedy="exchange_same")
    services.resolve(claim=other, actor=support_user, remedy="exchange_same", exchange_line=replacement)
    other.refresh_from_db()
    assert other.exchange_line == replacement
    with pytest.raises(services.ClaimStateError):
        services.reject(claim=other, actor=support_user, reason="late")


def test_war4_reject_with_reason_mails_the_customer(
    setup, support_user, mailoutbox, django_capture_on_commit_callbacks
):
    claim = file(delivered_order(setup))
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(claim=claim, actor=support_user, reason="Следы падения: повреждение не гарантийное")
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert "Следы падения" in mailoutbox[-1].body


def test_war6_third_repair_gives_the_right_to_a_refund(setup, support_user):
    order = delivered_order(setup)
    for _ in range(3):
        services.resolve(claim=file(order), actor=support_user, remedy="repair")
    fourth = file(order)
    assert services.repairs_count(fourth) == 3
    assert services.refund_right(fourth)
    second_item = file(delivered_order(setup))
    assert services.repairs_count(second_item) == 0 and not services.refund_right(second_item)


# --- SUP-2: the staff queue and least privilege ---------------------------------------------------------------------


def test_sup2_queue_overdue_first_with_presumption_repairs_and_days_left(
    setup, client, support_user, django_assert_max_num_queries
):
    fresh = file(delivered_order(setup))
    late = file(delivered_order(setup))
    WarrantyClaim.objects.filter(pk=late.pk).update(due_by=deadlines.today() - timedelta(days=4))
    done = file(delivered_order(setup))
    services.resolve(claim=done, actor=support_user, remedy="repair")
    for _ in range(5):
        file(delivered_order(setup))
    client.force_login(support_user)
    url = reverse("admin:returns_warrantyclaim_changelist")
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    shown = [claim.number for claim in response.context["cl"].result_list]
    assert shown[0] == late.number and shown[-1] == done.number
    assert fresh.number in shown
    page = response.content.decode()
    assert "overdue by 4" in page or "4" in page
    overdue = client.get(url, {"clock": "overdue"})
    assert [c.number for c in overdue.context["cl"].result_list] == [late.number]
    found = client.get(url, {"q": late.number})
    assert [c.number for c in found.context["cl"].result_list] == [late.number]
    change = client.get(reverse("admin:returns_warrantyclaim_change", args=[late.pk]))
    assert change.status_code == 200
    assert reverse("admin:returns_warrantyclaim_act", args=[late.pk, "resolve"]) in change.content.decode()


def test_sup2_finance_views_but_cannot_act(setup, client, finance_user):
    claim = file(delivered_order(setup))
    client.force_login(finance_user)
    assert client.get(reverse("admin:returns_warrantyclaim_changelist")).status_code == 200
    change = client.get(reverse("admin:returns_warrantyclaim_change", args=[claim.pk]))
    assert change.status_code == 200
    assert reverse("admin:returns_warrantyclaim_act", args=[claim.pk, "resolve"]) not in change.content.decode()
    response = client.post(reverse("admin:returns_warrantyclaim_act", args=[claim.pk, "resolve"]), {"remedy": "refund"})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "received"


def test_sup2_staff_document_download_is_audited(setup, client, support_user):
    claim = file(delivered_order(setup))
    client.force_login(support_user)
    response = client.get(reverse("admin:returns_warrantyclaim_document", args=[claim.pk, "complaint"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert claim.events.filter(kind="document", actor=support_user).exists()


# --- WAR-6: the overdue sweep ---------------------------------------------------------------------------------------


def test_war6_overdue_sweep_flags_once_and_alerts_support_once(
    setup, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SHOP_WARRANTY_ALERT_EMAILS = ["support@shop.kz"]
    late = file(delivered_order(setup))
    on_time = file(delivered_order(setup))
    WarrantyClaim.objects.filter(pk=late.pk).update(due_by=deadlines.today() - timedelta(days=1))
    WarrantyClaim.objects.filter(pk=on_time.pk).update(due_by=deadlines.today())
    with django_capture_on_commit_callbacks(execute=True):
        first = services.flag_overdue_claims()
        second = services.flag_overdue_claims()
    assert first == [late.number] and second == []
    digests = [mail for mail in mailoutbox if mail.to == ["support@shop.kz"]]
    assert len(digests) == 1 and late.number in digests[0].body
    assert WarrantyClaimEvent.objects.filter(kind="overdue").count() == 1
    late.refresh_from_db()
    assert late.overdue_flagged_at is not None


# --- Pages: valid HTML5, and the cabinet list at a constant query count --------------------------------------------


def test_warranty_pages_are_valid_html5(setup, client, django_user_model):
    user = django_user_model.objects.create_user(email="html@example.kz", password="pw-123456")
    order = delivered_order(setup, user=user)
    claim = file(order)
    client.force_login(user)
    refused = client.post(
        reverse("warranty:new", args=[order.access_token]),
        form_post(order, defect_found_on=(deadlines.today() - timedelta(days=90)).isoformat()),
    )
    assert refused.status_code == 422
    pages = [
        client.get(reverse("warranty:find")),
        client.post(reverse("warranty:find"), {"number": "1", "email": "x@example.kz"}),
        client.get(reverse("warranty:new", args=[order.access_token])),
        refused,
        client.get(reverse("warranty:claim", args=[claim.access_token])),
        client.get(reverse("warranty:mine")),
    ]
    parser = html5lib.HTMLParser(strict=True)
    for response in pages:
        assert response.status_code in (200, 422)
        parser.parse(response.content, transport_encoding="utf-8")


def test_cabinet_claims_list_costs_the_same_queries_for_1_or_12(
    setup, client, django_user_model, django_assert_max_num_queries
):
    user = django_user_model.objects.create_user(email="many@example.kz", password="pw-123456")
    client.force_login(user)
    order = delivered_order(setup, user=user)
    file(order)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("warranty:mine"))
    for _ in range(11):
        file(order)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("warranty:mine"))
    assert response.content.decode().count("W-") >= 12


# --- WAR-1 on real orders: the season start and the manufacture date ------------------------------------------------


def test_war1_seasonal_product_delivered_out_of_season_runs_from_the_season_start(setup, settings):
    settings.SHOP_WARRANTY_SEASON_MONTHS = 1
    order = delivered_order(setup, days_ago=40)
    delivered_on = deadlines.local_day(order.delivered_at)
    # the season starts 20 days after delivery: delivered out of season, the warranty starts then
    season = delivered_on + timedelta(days=20)
    Product.objects.filter(variants__order_lines__order=order).update(
        seasonal=True, season_start_month=season.month, season_start_day=season.day
    )
    claim = file(order)
    assert claim.warranty_start_basis == "season" and claim.warranty_starts_on == season
    assert claim.warranty_last_day == add_months(season, 12)


def test_war1_delivered_without_a_delivery_day_and_no_purchase_date_runs_from_manufacture(setup):
    order = delivered_order(setup)
    Order.objects.filter(pk=order.pk).update(delivered_at=None)
    order.refresh_from_db()
    made = deadlines.today() - timedelta(days=100)
    claim = file(order, manufactured_on=made)
    assert claim.warranty_start_basis == "manufacture" and claim.warranty_starts_on == made
    assert not claim.defect_presumed  # WAR-5 counts from delivery only


def test_war6_past_the_month_the_customer_cancels_and_is_refunded(setup, client):
    order = delivered_order(setup)
    claim = file(order)
    cancel = reverse("warranty:cancel", args=[claim.access_token])
    # before the deadline has passed: nothing happens
    assert client.post(cancel).status_code == 302
    claim.refresh_from_db()
    assert claim.status == "received" and claim.refund_id is None
    # the day after the deadline: the page offers it, and the button refunds with the delivery (REF-2)
    WarrantyClaim.objects.filter(pk=claim.pk).update(due_by=deadlines.today() - timedelta(days=1))
    assert (
        'id="cancel-after-deadline"'
        in client.get(reverse("warranty:claim", args=[claim.access_token])).content.decode()
    )
    assert client.get(cancel).status_code == 405
    client.post(cancel)
    claim.refresh_from_db()
    assert claim.status == "resolved" and claim.remedy == "refund"
    assert claim.refund.reason == Refund.Reason.WARRANTY and claim.refund.delivery_amount == order.delivery_cost
    client.post(cancel)  # twice: still one refund
    assert Refund.objects.filter(order=order).count() == 1


def test_war3_mail_in_the_customers_language_links_the_claim_in_it(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    order = delivered_order(setup)
    with django_capture_on_commit_callbacks(execute=True):
        claim = file(order, language="kk")
    assert f"/kk/warranty/c/{claim.access_token}/" in mailoutbox[0].body
