"""The shopper's browsing journey in a real browser (CAT-3): home → Kazakh → category → search → product."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    kettles = f.category(slug="kettles", name_ru="Чайники", name_kk="Шәйнектер", name_en="Kettles")
    f.product(
        category_=kettles,
        slug="kettle-aq",
        name_ru="Чайник Ақ",
        name_kk="Ақ шәйнек",
        name_en="White kettle",
        brand="Dala",
        price="15990",
        sale_price="12990",
        stock=12,
        image=True,
    )
    f.product(
        category_=kettles,
        slug="kettle-qara",
        name_ru="Чайник Қара",
        name_kk="Қара шәйнек",
        name_en="Black kettle",
        price="17990",
        stock=0,
        image=True,
    )
    brushes = f.category(
        slug="hygiene",
        name_ru="Гигиена",
        name_kk="Гигиена",
        name_en="Hygiene",
        returnable=False,
        non_returnable_reason="hygiene",
    )
    f.product(
        category_=brushes,
        slug="brush",
        name_ru="Зубная щётка",
        name_kk="Тіс щеткасы",
        name_en="Toothbrush",
        price="1990",
        stock=40,
        image=True,
    )
    for n in range(30):
        f.product(
            category_=kettles, name_ru=f"Чайник модель {n}", name_kk=f"Шәйнек үлгі {n}", price=20000 + n
        )


def test_cat3_browse_in_kazakh_from_home_to_product(live_server, page, catalogue, screenshot):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    screenshot(page, "home-ru")

    page.get_by_role("link", name=re.compile(r"^KK")).click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert page.url.endswith("/kk/")

    page.locator(".category-nav").get_by_role("link", name="Шәйнектер").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Шәйнектер")
    expect(page.locator(".card")).to_have_count(24)  # first page of 32
    screenshot(page, "category-kk")

    page.get_by_role("link", name="2", exact=True).click()
    expect(page.locator(".card")).to_have_count(8)

    search = page.locator("#header-search")  # issue 15: a combobox now (suggestions), no longer a searchbox
    search.fill("Ақ шәйнек")
    search.press("Enter")
    expect(page.locator(".card")).to_have_count(1)
    screenshot(page, "search-kk")

    page.locator(".card-link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ақ шәйнек")
    expect(page.locator(".price-now").first).to_contain_text("12")
    expect(page.locator(".stock.in").first).to_be_visible()
    assert "/kk/product/kettle-aq/" in page.url
    screenshot(page, "product-kk")


def test_cat2_non_returnable_reason_and_stock_in_the_browser(live_server, page, catalogue, screenshot):
    page.goto(live_server.url + "/en/product/brush/")
    expect(page.locator(".not-returnable")).to_contain_text("hygiene")
    page.goto(live_server.url + "/en/product/kettle-qara/")
    expect(page.locator(".notice.out")).to_be_visible()
    screenshot(page, "product-out-en")


def test_cat3_filters_and_sort_work_without_javascript(live_server, browser, catalogue):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/catalog/kettles/")
    tab.get_by_text("Фильтры и сортировка").click()  # <details> opens without JavaScript
    tab.get_by_label("Только в наличии").check()
    tab.get_by_label("Сортировка").select_option("price_desc")
    tab.get_by_role("button", name="Показать").click()
    expect(tab.locator(".card").first).to_contain_text("Чайник модель 29")
    assert "in_stock=on" in tab.url and "sort=price_desc" in tab.url
    context.close()


def test_layout_fits_a_phone_screen(live_server, phone, catalogue, screenshot):
    phone.goto(live_server.url + "/catalog/kettles/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px phone"
    expect(phone.locator("#header-search")).to_be_visible()
    screenshot(phone, "category-phone")
    phone.goto(live_server.url + "/product/kettle-aq/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "product-phone")
