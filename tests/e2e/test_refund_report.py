"""FIN-1: the accountant's journey — Finance opens the refund report in the admin, narrows it by method, reads the
totals and the chart, downloads the CSV; the page passes axe WCAG 2.1 AA on a desktop and on a phone."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from tests import refund_factories as rf

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
REPORT = "/en/admin/returns/refundreportexport/?date_from=2026-12-01&date_to=2026-12-31"


@pytest.fixture
def finance_tab(page, live_server, django_user_model):
    user = django_user_model.objects.create_user(email="finance@example.kz", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name="Finance"))
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return page


def content_violations(tab):
    results = Axe().run(tab, context="#content-main", options=WCAG_AA)
    return [f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


def test_fin1_finance_reads_the_report_filters_it_and_downloads_the_csv(live_server, finance_tab, screenshot):
    with time_machine.travel(datetime(2026, 12, 20, 6, 0, tzinfo=UTC), tick=True):
        refunds = rf.december()
        tab = finance_tab
        tab.goto(live_server.url + REPORT)
        assert tab.locator("svg[role=img] title").first.text_content().startswith("Refunds per day")
        assert tab.locator("#fin-refunds tbody tr").count() == 5
        assert content_violations(tab) == []
        screenshot(tab, "refund-report")
        tab.get_by_role("group", name="Payment method").get_by_label("Kaspi Pay").check()
        tab.get_by_role("button", name="Show").click()
        tab.wait_for_url("**method=kaspi**")
        assert tab.locator("#fin-refunds tbody tr").count() == 1
        assert refunds["r3"].number in tab.locator("#fin-refunds").inner_text()
        with tab.expect_download() as download:
            tab.get_by_role("link", name="CSV").click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert refunds["r3"].number in text and refunds["r1"].number not in text


def test_fin1_the_report_on_a_phone(live_server, phone, django_user_model, screenshot):
    user = django_user_model.objects.create_user(email="finance@example.kz", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name="Finance"))
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    phone.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    with time_machine.travel(datetime(2026, 12, 20, 6, 0, tzinfo=UTC), tick=True):
        rf.december()
        phone.goto(live_server.url + REPORT)
        assert phone.locator("#fin-refunds tbody tr").count() == 5
        assert content_violations(phone) == []
        screenshot(phone, "refund-report-phone")
