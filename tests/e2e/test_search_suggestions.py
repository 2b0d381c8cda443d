"""As-you-type suggestions in a real browser (issue 15, CAT-5): the header's search box is a combobox that
works from the keyboard and tells screen readers what it offers; without JavaScript the form still searches."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    kettles = f.category(slug="kettles", name_ru="Чайники", name_en="Kettles")
    f.product(category_=kettles, slug="kettle-aq", name_ru="Чайник Ақ", brand="Dala")
    f.product(category_=kettles, slug="kettle-qara", name_ru="Чайник Қара")
    f.product(slug="iron", name_ru="Утюг")


def test_suggestions_combobox_from_the_keyboard(page, live_server, catalogue, screenshot):
    page.goto(live_server.url + "/")
    box = page.locator("#header-search")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.focus()
    page.keyboard.type("чайн")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(3)  # the category and both kettles, not the iron
    expect(options.first).to_contain_text("Чайники")
    expect(page.get_by_role("status")).to_contain_text("3")
    screenshot(page, "search-suggestions")

    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-1$"))
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("ArrowDown")  # opens the list again on the first suggestion
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/product/kettle-"))


def test_enter_without_a_chosen_suggestion_searches(page, live_server, catalogue):
    page.goto(live_server.url + "/")
    page.locator("#header-search").fill("чайник")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator(".card")).to_have_count(2)


def test_the_search_form_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False, locale="ru-RU")
    tab = context.new_page()
    try:
        tab.goto(live_server.url + "/")
        expect(tab.locator("#header-search")).not_to_have_attribute("role", "combobox")
        tab.locator("#header-search").fill("чайнк")  # a typo, found by the server
        tab.locator("#header-search").press("Enter")
        expect(tab.locator(".card")).to_have_count(2)
    finally:
        context.close()
