"""Layout defects seen in screenshots (issue 16, item 6), measured in Chromium rather than eyeballed: the checkout
summary's labels never overlap their values, in every language, at desktop and phone widths; the category strip
shows every category at 1366 px and scrolls with a visible cue on a phone; the cookie banner leaves a phone's
first screen to the shop; the price filter's "from" and "to" share a row and the sort select shows its longest
option whole."""

import csv
from pathlib import Path

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
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
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


# --- the header's category strip, the cookie banner and the filters (issue 16, item 6) ----------------------------

DEMO_CATEGORIES = Path(__file__).resolve().parents[2] / "shop" / "demo_data" / "catalogue" / "categories.csv"
PHONE = {"width": 390, "height": 844}
# The longest option's text (in the select's own font) against the room inside the select (less the arrow).
SELECT_FITS = """s => {
  const style = getComputedStyle(s), probe = document.createElement("span");
  probe.style.cssText = "position:absolute;visibility:hidden;white-space:pre";
  probe.style.font = style.font;
  document.body.append(probe);
  const width = o => { probe.textContent = o.text; return probe.getBoundingClientRect().width; };
  const widest = Math.max(...[...s.options].map(width));
  probe.remove();
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
  return [Math.ceil(widest), Math.floor(room)];
}"""


@pytest.fixture
def catalogue():
    """The demo shop's ten top-level categories with their real (long) names, and a few products in the first."""
    with DEMO_CATEGORIES.open(encoding="utf-8") as rows:
        top = [row for row in csv.DictReader(rows) if not row["parent"]]
    categories = [
        f.category(
            slug=row["slug"],
            name_ru=row["name_ru"],
            name_kk=row["name_kk"],
            name_en=row["name_en"],
            position=int(row["position"]),
        )
        for row in top
    ]
    for n in range(3):
        f.product(category_=categories[0], brand=f"Brand {n}", price=f"{(n + 1) * 7990}")
    return categories


def prefix(language: str) -> str:
    return "" if language == "ru" else f"/{language}"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_category_strip_shows_every_category_whole_at_1366(live_server, browser, catalogue, language, screenshot):
    # given the home page on a laptop
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix(language)}/")
    screenshot(page, f"category-strip-{language}-1366")
    strip = page.locator(".category-nav ul")
    links = strip.locator("a")
    # then all ten are there, none hidden behind a scroll, none cut or broken over two lines, none overlapping
    assert links.count() == len(catalogue) == 10
    scroll_width, client_width = strip.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll_width <= client_width
    box = strip.bounding_box()
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    for i, link in enumerate(boxes):
        assert box["x"] <= link["x"] and link["x"] + link["width"] <= box["x"] + box["width"] + 0.5, i
        assert links.nth(i).evaluate(LINES_OF_TEXT) == 1, links.nth(i).inner_text()
        assert not any(overlaps(link, other) for other in boxes[i + 1 :]), i
    context.close()


def test_category_strip_scrolls_with_a_visible_cue_on_a_phone(live_server, browser, catalogue, screenshot):
    # given the home page on a phone: ten categories do not fit in one row of 390 px
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/kk/")
    strip = page.locator(".category-nav ul")
    scroll_width, client_width = strip.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll_width > client_width
    # then the strip says it scrolls: chips with a border, fading out at the right edge …
    style = strip.evaluate("e => [getComputedStyle(e).overflowX, getComputedStyle(e).maskImage]")
    assert style[0] == "auto" and "linear-gradient" in style[1]
    first = strip.locator("a").first
    assert first.evaluate("e => parseFloat(getComputedStyle(e).borderTopWidth)") >= 1
    # … and scrolling reaches the last category, whole
    strip.evaluate("e => e.scrollTo({left: e.scrollWidth})")
    last, box = strip.locator("a").last.bounding_box(), strip.bounding_box()
    assert last["x"] + last["width"] <= box["x"] + box["width"]
    screenshot(page, "category-strip-kk-390")
    context.close()


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_cookie_banner_leaves_a_phones_first_screen_to_the_shop(live_server, browser, catalogue, language, screenshot):
    # given a first visit on a 390 × 844 phone (no consent yet)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix(language)}/")
    banner, header = page.locator(".consent-banner"), page.locator(".site-header")
    expect(banner).to_be_visible()
    screenshot(page, f"first-visit-{language}-390")
    # then the banner is compact and, with the header, leaves more than half of the screen to the page
    banner_box, header_box = banner.bounding_box(), header.bounding_box()
    assert banner_box["height"] <= 0.2 * PHONE["height"], banner_box
    assert banner_box["height"] + header_box["height"] <= 0.5 * PHONE["height"], (banner_box, header_box)
    # its choices and the link to the cookie page are on screen, and its title still names it for screen readers
    buttons = banner.locator("button")
    assert buttons.count() == 2
    first, second = buttons.nth(0).bounding_box(), buttons.nth(1).bounding_box()
    assert not overlaps(first, second) and first["height"] >= 44 and second["height"] >= 44
    expect(banner.get_by_role("link")).to_have_count(1)
    expect(page.get_by_role("region", name=banner.locator("h2").text_content())).to_be_visible()
    context.close()


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_price_from_and_to_share_a_row_and_the_sort_select_is_not_clipped(
    live_server, browser, catalogue, language, screenshot
):
    for width in WIDTHS:
        # given a category page with its filters open
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}{prefix(language)}/catalog/{catalogue[0].slug}/")
        details = page.locator("details.filter-box")
        if not details.evaluate("e => e.open"):
            details.locator("summary").click()
        screenshot(page, f"filters-{language}-{width}")
        # then "from" and "to" stand side by side, inside the filter box, their labels above them
        low, high = page.locator("[name=min_price]").bounding_box(), page.locator("[name=max_price]").bounding_box()
        box = page.locator(".price-range").bounding_box()
        assert abs(low["y"] - high["y"]) < 1 and low["x"] + low["width"] <= high["x"], (language, width)
        assert high["x"] + high["width"] <= box["x"] + box["width"] + 0.5, (language, width)
        for field in ("min_price", "max_price"):
            label = page.locator(f".price-range label[for$={field}]").bounding_box()
            entry = page.locator(f"[name={field}]").bounding_box()
            assert label["y"] + label["height"] <= entry["y"] + 0.5 and not overlaps(label, entry), (language, width)
        # and the sort select shows its longest option whole
        widest, room = page.locator("select[name=sort]").evaluate(SELECT_FITS)
        assert widest <= room, (language, width, widest, room)
        context.close()


@pytest.mark.parametrize("path", ["/", "/catalog/teapots/", "/product/kettle/", "/kk/product/kettle/"])
def test_no_page_scrolls_sideways_on_a_320px_phone(live_server, browser, shop, path, screenshot):
    """Responsive down to a phone: at 320 px nothing but the category strip (which scrolls inside itself) is wider
    than the screen — the header's search form used to push its button 9 px past the edge."""
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    screenshot(page, f"phone-320-{path.strip('/').replace('/', '-') or 'home'}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
