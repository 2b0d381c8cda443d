"""FIN-1 / STAFF-1: big exports as a Celery job (a file kept 7 days, downloadable only by Finance, a link mailed, the
progress on the page, a sweep that removes old files), and least privilege — Finance reads and exports, but edits
no order, refund or audit row."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from orders.models import Order
from returns.models import Refund, RefundReportExport
from returns.report import storage
from returns.report.tasks import export_in_background, sweep_expired_refund_exports
from tests import refund_factories as rf

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 20, 6, 0, tzinfo=UTC)
DECEMBER = {"date_from": "2026-12-01", "date_to": "2026-12-31"}


@pytest.fixture(autouse=True)
def _english_and_today():
    with translation.override("en"), time_machine.travel(NOW, tick=True):
        yield


def member(django_user_model, group, email):
    user = django_user_model.objects.create_user(email=email, password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def finance(client, django_user_model):
    client.force_login(member(django_user_model, "Finance", "finance@example.kz"))
    return client


@pytest.fixture
def refunds():
    return rf.december()


def start_job(client, fmt="xlsx"):
    return client.post(reverse("admin:returns_refundreport_background"), {**DECEMBER, "format": fmt})


def test_fin1_background_export_writes_the_file_mails_a_link_and_finance_downloads_it(
    finance, refunds, settings, django_capture_on_commit_callbacks
):
    settings.SHOP_BASE_URL = "https://shop.example.kz"
    with django_capture_on_commit_callbacks(execute=True):
        response = start_job(finance, "csv")
    assert response.status_code == 302
    record = RefundReportExport.objects.get()
    assert (record.channel, record.state, record.rows, record.total_rows) == ("background", "done", 5, 5)
    assert record.expires_at - timezone.now() > timedelta(days=6, hours=23)  # kept 7 days
    assert storage.path_of(record).is_file()
    assert not str(storage.path_of(record)).startswith(str(settings.MEDIA_ROOT))  # never publicly served
    # the link, mailed to the Finance member who asked
    (message,) = mail.outbox
    assert message.to == ["finance@example.kz"]
    with translation.override(settings.LANGUAGE_CODE):  # links in mail: the shop's default language
        link = f"https://shop.example.kz{reverse('admin:returns_refundreport_file', args=[record.pk])}"
    assert link in message.body and "7 days" in message.body
    download = finance.get(reverse("admin:returns_refundreport_file", args=[record.pk]))
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf") and refunds["r3"].number.encode() in data
    # the page lists the finished job with its file
    page = finance.get(reverse("admin:returns_refundreportexport_changelist"), DECEMBER)
    assert record.file_name in page.content.decode()


def test_fin1_the_background_button_shows_from_the_threshold(finance, refunds, settings):
    url = reverse("admin:returns_refundreportexport_changelist")
    settings.SHOP_REFUND_EXPORT_BACKGROUND_FROM = 6
    assert "Prepare in the background" not in finance.get(url, DECEMBER).content.decode()
    settings.SHOP_REFUND_EXPORT_BACKGROUND_FROM = 5
    assert "Prepare in the background" in finance.get(url, DECEMBER).content.decode()


def test_fin1_a_running_job_shows_its_progress(finance, refunds):
    user = finance.get(reverse("admin:index")).wsgi_request.user
    RefundReportExport.objects.create(
        user=user, requested_by=user.email, channel="background", format="xlsx", rows=4000, total_rows=16000
    )
    html = finance.get(reverse("admin:returns_refundreportexport_changelist"), DECEMBER).content.decode()
    assert 'max="100" value="25"' in html and "4000 / 16000" in html


def test_staff1_only_finance_downloads_a_kept_file_and_only_while_it_is_kept(
    finance, refunds, client, django_user_model, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start_job(finance, "xlsx")
    record = RefundReportExport.objects.get()
    url = reverse("admin:returns_refundreport_file", args=[record.pk])
    other = client.__class__()
    other.force_login(member(django_user_model, "Support", "support@example.kz"))
    assert other.get(url).status_code == 403
    with time_machine.travel(NOW + timedelta(days=7, hours=1), tick=False):
        assert finance.get(url).status_code == 404  # expired: no longer handed out
        assert sweep_expired_refund_exports.delay().get() == 1
        assert sweep_expired_refund_exports.delay().get() == 0  # idempotent
    assert not storage.path_of(record).exists()
    record.refresh_from_db()
    assert record.file_name == "" and record.rows == 5  # the audit row stays


def test_fin1_background_export_with_bad_filters_or_format_is_400(finance, refunds):
    url = reverse("admin:returns_refundreport_background")
    assert finance.post(url, {**DECEMBER, "format": "pdf"}).status_code == 400
    assert finance.post(url, {"date_from": "x", "date_to": "2026-12-01", "format": "csv"}).status_code == 400
    assert not RefundReportExport.objects.exists()


def test_fin1_a_second_delivery_of_the_task_does_nothing(finance, refunds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start_job(finance, "csv")
    record = RefundReportExport.objects.get()
    assert export_in_background.delay(record.pk).get() == 0
    assert len(mail.outbox) == 1


# --- least privilege (STAFF-1) -------------------------------------------------------------------------------------


def test_staff1_finance_cannot_edit_orders_refunds_or_the_audit(finance, refunds):
    order = refunds["r1"].order
    refund = refunds["r4"]
    change_order = reverse("admin:orders_order_change", args=[order.pk])
    assert finance.get(change_order).status_code == 200  # reads it
    assert finance.post(change_order, {"comment": "changed by finance"}).status_code == 403
    assert finance.post(reverse("admin:orders_order_action", args=[order.pk, "cancel"]), {}).status_code == 403
    assert finance.get(reverse("admin:orders_order_add")).status_code == 403
    assert finance.post(reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"}).status_code == 403
    change_refund = reverse("admin:returns_refund_change", args=[refund.pk])
    assert finance.get(change_refund).status_code == 200
    assert finance.post(change_refund, {"status": "done", "amount": "1"}).status_code == 403
    assert finance.post(reverse("admin:returns_refund_delete", args=[refund.pk]), {"post": "yes"}).status_code == 403
    assert finance.get(reverse("admin:returns_refund_add")).status_code == 403
    assert Order.objects.get(pk=order.pk).comment != "changed by finance"
    assert Refund.objects.get(pk=refund.pk).status == Refund.Status.DUE
    finance.get(reverse("admin:returns_refundreport_export", args=["pdf"]) + "?date_from=2026-12-01&date_to=2026-12-31")
    record = RefundReportExport.objects.get()
    assert finance.post(
        reverse("admin:returns_refundreportexport_delete", args=[record.pk]), {"post": "yes"}
    ).status_code in (403, 404)
    assert RefundReportExport.objects.filter(pk=record.pk).exists()


def test_staff1_the_report_permission_is_finance_only():
    finance = set(Group.objects.get(name="Finance").permissions.values_list("codename", flat=True))
    support = set(Group.objects.get(name="Support").permissions.values_list("codename", flat=True))
    assert "view_refund_report" in finance and "view_refund_report" not in support
    assert not {p for p in finance if p.startswith(("change_", "add_", "delete_"))}


@pytest.mark.parametrize("pk", ["0", "99999999999999999999"])
def test_fin1_unknown_or_huge_file_numbers_are_404(finance, pk):
    assert finance.get(f"/en/admin/returns/refundreportexport/file/{pk}/").status_code == 404
