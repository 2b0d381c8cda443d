"""Cookie consent in Chromium (LEG-2): the banner, the choice with and without JavaScript, analytics only after
consent, keyboard use, WCAG 2.1 AA and the phone layout."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from shop.models import Page
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ANALYTICS = "script[data-consent=analytics]"


def violations(tab):
    results = Axe().run(tab, options=WCAG_AA)
    return [f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


def banner(tab):
    return tab.get_by_role("region", name="Cookies on this site")


@pytest.fixture
def shop():
    cat = f.category(slug="kettles", name_ru="Чайники", name_en="Kettles")
    f.product(category_=cat, slug="kettle", name_ru="Чайник", name_en="Kettle", image=True)
    Page.objects.create(
        slug="cookies", title_ru="Файлы cookie", body_ru="Про cookie.", title_en="Cookies", body_en="About cookies."
    )


def consent_cookie(context):
    return next((c for c in context.cookies() if c["name"] == settings.SHOP_CONSENT_COOKIE), None)


def test_leg2_accept_analytics_hides_the_banner_and_loads_analytics(live_server, page, shop, screenshot):
    page.goto(live_server.url + "/en/product/kettle/")
    expect(banner(page)).to_be_visible()
    expect(page.locator(ANALYTICS)).to_have_count(0)
    assert violations(page) == []
    screenshot(page, "consent-banner-desktop")

    banner(page).get_by_role("button", name="Accept analytics").click()
    expect(banner(page)).to_have_count(0)  # posted in the background, no page load
    assert page.url.endswith("/en/product/kettle/")
    cookie = consent_cookie(page.context)
    assert cookie["value"] == "analytics" and cookie["sameSite"] == "Lax" and cookie["httpOnly"]

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kettle")
    expect(banner(page)).to_have_count(0)
    expect(page.locator(ANALYTICS)).to_have_count(1)


def test_leg2_choice_works_without_javascript_and_can_be_changed(live_server, browser, shop, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(live_server.url + "/en/catalog/kettles/")
    banner(tab).get_by_role("button", name="Necessary only").click()  # a plain form POST and a redirect back
    assert tab.url.endswith("/en/catalog/kettles/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Kettles")
    expect(banner(tab)).to_have_count(0)
    expect(tab.get_by_text("Your cookie choice is saved.")).to_be_visible()
    expect(tab.locator(ANALYTICS)).to_have_count(0)
    assert consent_cookie(context)["value"] == "necessary"

    tab.get_by_role("link", name="Cookie settings").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Cookie settings")
    expect(tab.get_by_text("Your current choice: necessary cookies only.")).to_be_visible()
    tab.get_by_role("button", name="Accept analytics").click()
    expect(tab.get_by_text("Your current choice: necessary and analytics cookies.")).to_be_visible()
    expect(tab.locator(ANALYTICS)).to_have_count(1)
    screenshot(tab, "cookie-settings")
    context.close()


def test_leg2_banner_is_reachable_by_keyboard(live_server, page, shop):
    page.goto(live_server.url + "/en/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Tab")
    expect(banner(page).get_by_role("link", name="More about cookies")).to_be_focused()
    page.keyboard.press("Tab")
    expect(banner(page).get_by_role("button", name="Necessary only")).to_be_focused()
    page.keyboard.press("Tab")
    accept = banner(page).get_by_role("button", name="Accept analytics")
    expect(accept).to_be_focused()
    page.keyboard.press("Enter")
    expect(banner(page)).to_have_count(0)
    expect(page.locator("#main")).to_be_focused()  # focus is not lost with the banner
    assert consent_cookie(page.context)["value"] == "analytics"


def test_leg2_banner_does_not_cover_content_on_a_phone(live_server, phone, shop, screenshot):
    phone.goto(live_server.url + "/product/kettle/")
    region = phone.locator("#cookie-consent")
    expect(region).to_be_visible()
    assert region.evaluate("el => getComputedStyle(el).position") == "static"  # in the flow, never over the page
    box, header = region.bounding_box(), phone.locator(".site-header").bounding_box()
    assert box["y"] + box["height"] <= header["y"] + 1
    assert box["height"] < 740 * 0.6, box  # leaves room for the page on a 375×740 screen
    for button in ("necessary", "analytics"):
        size = region.locator(f"button[value={button}]").bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert violations(phone) == []
    screenshot(phone, "consent-banner-phone")
