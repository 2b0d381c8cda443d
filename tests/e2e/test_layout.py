"""Layout defects seen in screenshots (issue 16, item 6), measured in Chromium rather than eyeballed: the checkout
summary's labels never overlap their values, in every language, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.steps import add_to_cart

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1366, 390)
# How many lines an element's text takes: the distinct tops of its text's boxes.
LINES_OF_TEXT = """e => {
  const range = document.createRange(); range.selectNodeContents(e);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""


@pytest.fixture
def shop():
    f.delivery_setup()
    teapots = f.category(slug="teapots", name_en="Teapots")
    f.product(category_=teapots, slug="kettle", name_en="White kettle", price="15990", stock=5)


def overlaps(a, b) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and (
        b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_checkout_summary_labels_never_overlap_their_values(live_server, browser, shop, language, screenshot):
    # given a cart and the checkout before a city is chosen (the long "choose the city…" note in the summary)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        add_to_cart(page, live_server.url, "kettle")
        page.goto(f"{live_server.url}/{language}/checkout/".replace("/ru/", "/"))
        totals = page.locator(".summary-totals")
        expect(totals).to_be_visible()
        screenshot(page, f"checkout-summary-{language}-{width}")
        # when the totals are measured
        labels, values = totals.locator("dt"), totals.locator("dd")
        assert labels.count() == values.count() >= 3
        for index in range(labels.count()):
            label, value = labels.nth(index).bounding_box(), values.nth(index).bounding_box()
            # then each label stands clear of its value, on one line
            assert not overlaps(label, value), (language, width, labels.nth(index).inner_text())
            assert labels.nth(index).evaluate(LINES_OF_TEXT) == 1, (language, width, labels.nth(index).inner_text())
        context.close()
