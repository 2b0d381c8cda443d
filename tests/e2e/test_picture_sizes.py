"""Issue 16, item 8, measured in Chromium: the `sizes` the listing cards, the home page and the product page
give their pictures (shop/cards.py GRIDS, templates/shop/_product.html) are the widths static/css/shop.css lays
the images out at, from a phone to a wide screen, so the browser fetches a small rendition for a small card; the
first row's images are there at once and every image shows."""

import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from shop.models import ProductImage
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 600, 760, 900, 1100, 1366)
# The width `sizes` gives an image in this window: the first clause whose media condition matches.
SIZES_WIDTH = """img => {
  for (const clause of img.getAttribute('sizes').split(/,(?![^(]*\\))/)) {
    const match = clause.trim().match(/^(\\(.*?\\))\\s+(.*)$/);
    const [condition, length] = match ? [match[1], match[2]] : [null, clause.trim()];
    if (condition && !matchMedia(condition).matches) continue;
    const probe = document.createElement('div');
    probe.style.position = 'absolute';
    probe.style.width = length;
    document.body.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
  }
}"""
# The image's content box (inside its border), what `sizes` describes.
CONTENT_WIDTH = "img => img.clientWidth"


def photo(product):
    buffer = BytesIO()
    Image.new("RGB", (800, 800), (30, 140, 90)).save(buffer, format="JPEG")
    picture = ProductImage(product=product, alt_ru=product.name_ru)
    picture.image.save(f"{product.slug}.jpg", ContentFile(buffer.getvalue()), save=False)
    picture.save()


@pytest.fixture
def shop():
    kettles = f.category(slug="kettles", name_ru="Чайники")
    for n in range(9):
        item = f.product(category_=kettles, slug=f"kettle-{n}", name_ru=f"Чайник {n}", price="200", sale_price="150")
        photo(item)


def check_images(page, url, selector, width):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    images = page.locator(selector)
    first = images.first
    told, laid_out = first.evaluate(SIZES_WIDTH), first.evaluate(CONTENT_WIDTH)
    assert abs(told - laid_out) <= 1.5, (url, width, told, laid_out)
    # at one device pixel per CSS pixel the browser fetches a rendition about as wide as the image is laid out
    fetched = re.search(r"-(\d+)w\.(avif|webp)$", first.evaluate("img => img.currentSrc"))
    assert fetched, (url, width)
    assert laid_out <= int(fetched[1]) <= laid_out * 2, (url, width, laid_out, fetched[0])
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    shown = images.evaluate_all("imgs => imgs.map(img => img.complete && img.naturalWidth > 0)")
    assert shown and all(shown), (url, width, shown)


def test_pictures_are_laid_out_as_wide_as_their_sizes_say(live_server, browser, shop, screenshot):
    for width in WIDTHS:
        context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        check_images(page, f"{live_server.url}/catalog/kettles/", ".grid img", width)
        screenshot(page, f"pictures-category-{width}")
        check_images(page, f"{live_server.url}/", ".grid img", width)
        check_images(page, f"{live_server.url}/product/kettle-0/", ".gallery img", width)
        screenshot(page, f"pictures-product-{width}")
        context.close()
