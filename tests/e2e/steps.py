"""Steps the browser journeys share: putting goods in the cart and a guest's courier checkout."""

from playwright.sync_api import expect


def add_to_cart(page, base, slug, quantity=1):
    page.goto(f"{base}/en/product/{slug}/")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".messages")).to_be_visible()


def choose_city(page, name):
    page.get_by_label("City").select_option(label=name)
    # with JavaScript the delivery options follow the city at once; the "Recalculate" button is the no-JS path
    expect(page.locator("#delivery-courier")).to_be_enabled()


def fill_guest_courier_checkout(page, *, payment):
    """On the checkout page: Aigerim's contacts, courier to an Almaty address, `payment`, terms accepted (not
    confirmed yet: the caller may look at the page first)."""
    page.get_by_label("Full name").fill("Aigerim Sapar")
    page.get_by_label("E-mail").fill("aigerim@example.kz")
    page.get_by_label("Phone").fill("8 701 123 45 67")
    choose_city(page, "Almaty")
    page.locator("label[for=delivery-courier]").click()
    page.get_by_label("Delivery address").fill("Abay avenue 10, flat 5")
    page.locator(f"label[for=payment-{payment}]").click()
    page.locator("#id_terms").check()


def guest_buys(page, base, *, slug="kettle", payment):
    """A guest puts one `slug` in the cart and confirms a courier order paid by `payment`."""
    add_to_cart(page, base, slug)
    page.goto(base + "/en/checkout/")
    fill_guest_courier_checkout(page, payment=payment)
    page.get_by_role("button", name="Confirm order").click()
