"""The warranty journey of issue 12 in a real browser: a customer files a claim for a delivered item from the order
page with a photo (WAR-3) and sees its number and "answer due by" (WAR-6); support sends it to a service centre and
resolves it by a repair in the admin (WAR-4, SUP-2); the customer downloads the act of satisfaction (WAR-7)."""

import io
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.staff_groups import sync_staff_groups
from orders.models import Order
from returns.warranty.models import WarrantyClaim
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Steppe-Wind-2026"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(tab):
    results = Axe().run(tab, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


def person(email, full_name, *, staff_group=None):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, full_name=full_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if staff_group:
        sync_staff_groups()
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(Group.objects.get(name=staff_group))
    return user


def test_war3_war7_customer_claims_support_repairs_customer_downloads_the_act(
    live_server, page, browser, screenshot, tmp_path
):
    # given: a customer with a delivered kettle (12 months of warranty)
    base = live_server.url
    buyer = person("aliya@example.kz", "Aliya Kasymova")
    order = f.placed_order(user=buyer, email="aliya@example.kz", full_name="Aliya Kasymova")
    Order.objects.filter(pk=order.pk).update(status="delivered", delivered_at=timezone.now() - timedelta(days=40))
    order.lines.update(warranty_months=12)
    photo = tmp_path / "kettle.png"
    photo.write_bytes(f.png_bytes())

    # when: the customer signs in, opens the order and files a claim with a photo
    page.goto(base + "/en/accounts/login/")
    page.get_by_label("E-mail").fill("aliya@example.kz")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.goto(base + "/en" + order.get_absolute_url())
    page.locator("#warranty-claim-link").click()
    page.locator("textarea[name=description]").fill("It stopped heating after a month.")
    page.locator("[name=defect_found_on]").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.locator("[name=preferred_remedy][value=repair]").check()
    page.locator("[name=serial_number]").fill("KT-2026-77")
    page.locator("[name=attachments]").set_input_files(str(photo))
    screenshot(page, "warranty-claim-form")
    assert violations(page) == []
    page.get_by_role("button", name="Send the claim").click()

    # then: the claim's page shows its number and the answer's deadline
    claim = WarrantyClaim.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(claim.number)
    expect(page.locator("#claim-due")).to_contain_text(claim.due_by.strftime("%d.%m.%Y"))
    screenshot(page, "warranty-claim-page")
    assert violations(page) == []
    assert claim.attachments.count() == 1

    # when: support sends it to a service centre, then resolves it by a repair
    person("agent@example.kz", "Support Agent", staff_group="Support")
    staff = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(base + "/en/admin/login/")
    staff.get_by_label(re.compile("E-mail", re.I)).fill("agent@example.kz")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name=re.compile("Log in", re.I)).click()
    staff.goto(base + "/en/admin/returns/warrantyclaim/")
    screenshot(staff, "admin-warranty-queue")
    staff.get_by_role("link", name=claim.number).click()
    staff.get_by_role("link", name="Send for examination").click()
    staff.get_by_label("Certified service centre").fill("Almaty Service Centre")
    staff.get_by_label("Service centre reference").fill("ASC-4411")
    staff.get_by_role("button", name=re.compile("Send for examination")).click()
    expect(staff.locator(".messagelist")).to_be_visible()
    staff.get_by_role("link", name="Resolve by a remedy").click()
    staff.get_by_label("Repair at a certified service centre").check()
    staff.get_by_label(re.compile("Resolution")).fill("Heating element replaced.")
    screenshot(staff, "admin-warranty-resolve")
    staff.get_by_role("button", name=re.compile("Resolve by a remedy")).click()
    expect(staff.locator(".messagelist")).to_contain_text("resolved")
    staff.context.close()

    # then: the customer sees it resolved and downloads the act of satisfaction
    page.reload()
    expect(page.locator("#claim-status")).to_contain_text("Resolved")
    act = page.locator("#act-link")
    expect(act).to_be_visible()
    screenshot(page, "warranty-claim-resolved")
    response = page.context.request.get(base + act.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert claim.number in text and "Aliya Kasymova" in text and "Almaty Service Centre" in text
    claim.refresh_from_db()
    assert claim.status == "resolved" and claim.remedy == "repair" and claim.service_reference == "ASC-4411"

    # and: the claim's page and the guest's claim form fit a 390 px phone (no sideways scrolling)
    narrow = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    for path in (page.url.replace(base, ""), "/warranty/claim/", f"/warranty/o/{order.access_token}/new/"):
        narrow.goto(base + path)
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert violations(narrow) == [], path
    screenshot(narrow, "warranty-claim-form-390")
    narrow.context.close()
