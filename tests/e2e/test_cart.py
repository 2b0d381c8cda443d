"""The shopper's cart journey in a real browser (ORD-1): add from a category page and from a product page, the
header count follows, change a quantity, remove a line — no JavaScript needed."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shelf():
    kettles = f.category(slug="kettles", name_en="Kettles")
    f.product(category_=kettles, slug="kettle-aq", name_en="White kettle", price="15990", stock=12, image=True)
    f.product(category_=kettles, slug="kettle-qara", name_en="Black kettle", price="17990", stock=3, image=True)
    f.product(category_=kettles, slug="kettle-sold", name_en="Sold-out kettle", price="9990", stock=0)


def test_ord1_add_change_and_remove_in_the_cart(live_server, page, shelf, screenshot):
    count = page.locator(".cart-count")

    # from the category page
    page.goto(live_server.url + "/en/catalog/kettles/")
    expect(count).to_have_text("0")
    sold_out = page.locator(".card", has_text="Sold-out kettle")
    expect(sold_out.get_by_role("button", name=re.compile("Add to cart"))).to_have_count(0)
    page.locator(".card", has_text="White kettle").get_by_role("button", name=re.compile("Add to cart")).click()
    expect(page).to_have_url(re.compile(r"/en/catalog/kettles/$"))
    expect(page.locator(".messages")).to_contain_text("White kettle")
    expect(count).to_have_text("1")
    screenshot(page, "cart-added-from-category")

    # from the product page, more than is in stock
    page.goto(live_server.url + "/en/product/kettle-qara/")
    page.get_by_label("Quantity").fill("5")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".messages")).to_contain_text("Only 3 left, we put 3 in your cart.")
    expect(count).to_have_text("4")

    # the cart: change a quantity, then remove a line
    page.locator(".cart-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cart")
    expect(page.locator(".cart-line")).to_have_count(2)
    white = page.locator(".cart-line", has_text="White kettle")
    white.get_by_label("Quantity").fill("2")
    white.get_by_role("button", name=re.compile("Update")).click()
    expect(count).to_have_text("5")
    expect(page.locator(".cart-line", has_text="White kettle").get_by_label("Quantity")).to_have_value("2")
    screenshot(page, "cart")
    page.locator(".cart-line", has_text="Black kettle").get_by_role("button", name=re.compile("Remove")).click()
    expect(page.locator(".cart-line")).to_have_count(1)
    expect(count).to_have_text("2")
    page.locator(".cart-line").get_by_role("button", name=re.compile("Remove")).click()
    expect(page.locator(".cart-empty")).to_be_visible()
    expect(count).to_have_text("0")
