"""Issue 16, item 8: pages light on the wire (CAT-1 images). Product images are also written as AVIF (where
Pillow can) and WebP at several sizes and offered in <picture> with srcset and sizes; width/height are the files'
real pixels; the first row of a listing loads at once and the rest lazily; the product page's main image comes
first; hashed static files and product images are kept by browsers for a year; orders.css only where it is used."""

from io import BytesIO, StringIO

import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from PIL import Image

from shop import cards
from shop.images import rendition_formats
from shop.models import ProductImage
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = {"public", "max-age=31536000", "immutable"}
PIL_FORMAT = {"image/avif": "AVIF", "image/webp": "WEBP", "image/jpeg": "JPEG"}


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def jpeg_bytes(size) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def photo(product, size=(1200, 900), position=0) -> ProductImage:
    picture = ProductImage(product=product, alt_ru="Фото", alt_en="Photo", position=position)
    picture.image.save(f"photo-{product.pk}-{position}.jpg", ContentFile(jpeg_bytes(size)), save=False)
    picture.save()
    return picture


def opened(url: str) -> Image.Image:
    """The file behind a /media/ URL, as Pillow reads it."""
    with default_storage.open(url.removeprefix("/media/")) as stored:
        img = Image.open(BytesIO(stored.read()))
        img.load()
    return img


def parse(response):
    assert response.status_code == 200
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


def srcset_urls(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width.rstrip("w"))) for url, width in (part.split() for part in srcset.split(","))]


def assert_picture_tells_the_truth(picture, sizes: str):
    """Every <source> and the <img> list files of the type and pixel width they claim; the <img>'s
    width/height are those of the file it shows."""
    sources = picture.findall("source")
    assert [s.get("type") for s in sources] == [f"image/{name}" for name in rendition_formats()]
    img = picture.find("img")
    for element, mime in [*((s, s.get("type")) for s in sources), (img, "image/jpeg")]:
        assert element.get("sizes") == sizes
        for url, width in srcset_urls(element.get("srcset")):
            file = opened(url)
            assert file.format == PIL_FORMAT[mime] and file.width == width, (url, file.format, file.size)
    fallback = opened(img.get("src"))
    assert fallback.format == "JPEG"
    assert (int(img.get("width")), int(img.get("height"))) == fallback.size


# --- the files -----------------------------------------------------------------------------------------------------


def test_cat1_an_upload_gets_avif_webp_and_jpeg_renditions_at_their_real_sizes(settings):
    settings.SHOP_IMAGE_RENDITION_WIDTHS = (200, 400, 800)
    picture = photo(f.product(), size=(1200, 900))
    by_type = {}
    for entry in picture.renditions:
        file = opened(f"/media/{entry['name']}")
        assert file.format == PIL_FORMAT[entry["type"]], entry
        assert file.size == (entry["width"], entry["height"]), entry
        by_type.setdefault(entry["type"], []).append(file.size)
    for name in rendition_formats():
        assert by_type[f"image/{name}"] == [(200, 150), (400, 300), (800, 600)]
    assert by_type["image/jpeg"] == [(400, 300), (1000, 750)]  # the thumbnail and the large version
    assert "webp" in rendition_formats()


def test_cat1_avif_is_written_when_this_pillow_can(settings):
    from PIL import features

    assert ("avif" in rendition_formats()) == features.check("avif")
    settings.SHOP_IMAGE_RENDITION_FORMATS = ("webp",)
    picture = photo(f.product())
    assert {e["type"] for e in picture.renditions} == {"image/webp", "image/jpeg"}


def test_cat1_a_small_upload_is_never_enlarged_and_each_size_is_written_once():
    picture = photo(f.product(), size=(350, 350))
    webp = [(e["width"], e["height"]) for e in picture.renditions if e["type"] == "image/webp"]
    assert webp == [(200, 200), (300, 300), (350, 350)]
    assert [(e["width"], e["height"]) for e in picture.renditions if e["type"] == "image/jpeg"] == [(350, 350)] * 2


def test_cat1_a_changed_image_gets_new_file_names():
    picture = photo(f.product())
    before = set(picture.stored_files())
    picture.image.save("other.jpg", ContentFile(jpeg_bytes((640, 480))), save=False)
    picture.save()
    after = set(picture.stored_files())
    assert not (before - {picture.image.name}) & after


def test_cat1_make_renditions_fills_in_images_saved_before_renditions_existed(django_capture_on_commit_callbacks):
    picture = photo(f.product())
    old_thumbnail = picture.thumbnail.name
    ProductImage.objects.filter(pk=picture.pk).update(renditions=[])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", stdout=StringIO())
    picture.refresh_from_db()
    assert {e["type"] for e in picture.renditions} >= {"image/webp", "image/jpeg"}
    assert all(default_storage.exists(e["name"]) for e in picture.renditions)
    assert picture.thumbnail.name in {e["name"] for e in picture.renditions}
    assert old_thumbnail != picture.thumbnail.name and not default_storage.exists(old_thumbnail)


# --- listings and the product page -----------------------------------------------------------------------------------


@pytest.fixture
def kettles():
    category = f.category(slug="kettles")
    items = [f.product(category_=category, slug=f"kettle-{n}", name_ru=f"Чайник {n}") for n in range(7)]
    for item in items:
        photo(item, size=(800, 800))
    return items


def test_cat3_listing_cards_offer_their_renditions_with_sizes_and_real_width_height(client, kettles):
    tree = parse(client.get("/catalog/kettles/"))
    pictures = tree.findall(".//li[@class='card']//picture")
    assert len(pictures) == 7
    for picture in pictures:
        assert_picture_tells_the_truth(picture, cards.GRIDS["listing"].sizes)
        assert picture.find("img").get("alt") == ""  # the card's name says what it is


def test_cat3_the_first_row_of_a_listing_loads_at_once_and_the_rest_lazily(client, kettles):
    for path in ("/catalog/kettles/", "/search/?q=чайник", "/catalog/kettles/"):  # the second time from the cache
        imgs = parse(client.get(path)).findall(".//li[@class='card']//img")
        assert len(imgs) == 7, path
        first_row = cards.GRIDS["listing"].first_row
        assert [img.get("loading") for img in imgs[:first_row]] == [None] * first_row, path
        assert {img.get("loading") for img in imgs[first_row:]} == {"lazy"}, path


def test_cat3_the_home_page_grids_are_sized_for_the_whole_width_and_only_the_first_row_comes_at_once(client, kettles):
    for item in kettles:
        item.variants.update(sale_price=1)
    on_sale, new = parse(client.get("/")).findall(".//ul[@class='grid']")
    first_row = cards.GRIDS["wide"].first_row
    sale_imgs, new_imgs = on_sale.findall(".//img"), new.findall(".//img")
    assert len(sale_imgs) == len(new_imgs) == 7
    assert {img.get("sizes") for img in sale_imgs + new_imgs} == {cards.GRIDS["wide"].sizes}
    assert [img.get("loading") for img in sale_imgs] == [None] * first_row + ["lazy"] * (7 - first_row)
    assert {img.get("loading") for img in new_imgs} == {"lazy"}  # the second shelf is below the first


def test_cat3_without_a_sale_shelf_the_new_arrivals_are_the_first_row(client, kettles):
    imgs = parse(client.get("/")).findall(".//ul[@class='grid']//img")
    first_row = cards.GRIDS["wide"].first_row
    assert [img.get("loading") for img in imgs] == [None] * first_row + ["lazy"] * (len(imgs) - first_row)


def test_cat3_the_product_pages_main_image_comes_first_with_its_real_size(client):
    item = f.product(slug="kettle")
    photo(item, size=(800, 600), position=0)
    photo(item, size=(600, 900), position=1)
    tree = parse(client.get("/product/kettle/"))
    pictures = tree.findall(".//div[@class='gallery']//picture")
    assert len(pictures) == 2
    main, other = (p.find("img") for p in pictures)
    assert main.get("fetchpriority") == "high" and main.get("loading") is None
    assert other.get("loading") == "lazy" and other.get("fetchpriority") is None
    assert (main.get("width"), main.get("height")) == ("800", "600")  # not the 1000 x 1000 the box allows
    assert (other.get("width"), other.get("height")) == ("600", "900")
    for picture in pictures:
        sizes = picture.find("img").get("sizes")
        assert "570px" in sizes
        assert_picture_tells_the_truth(picture, sizes)
        assert picture.find("img").get("alt") == "Фото"


def test_cat1_an_image_without_renditions_is_still_shown(client):
    item = f.product(slug="kettle", category_=f.category(slug="kettles"))
    picture = photo(item)
    ProductImage.objects.filter(pk=picture.pk).update(renditions=[])
    for path in ("/catalog/kettles/", "/product/kettle/"):
        html = client.get(path).content.decode()
        assert f'src="/media/{picture.thumbnail.name if "catalog" in path else picture.large.name}"' in html


def test_ord1_the_cart_shows_a_small_rendition(client):
    item = f.product(slug="kettle")
    photo(item)
    client.post("/cart/add/", {"variant": item.variants.get().pk, "quantity": 1}, HTTP_ORIGIN="http://testserver")
    picture = parse(client.get("/cart/")).find(".//*[@class='cart-line-image']/picture")
    assert_picture_tells_the_truth(picture, "96px")


# --- styles: each page loads what it uses ----------------------------------------------------------------------------


def stylesheets(response) -> list[str]:
    return [link.get("href") for link in parse(response).findall(".//link[@rel='stylesheet']")]


def test_catalogue_pages_do_not_load_the_order_styles(client, kettles):
    for path in ("/", "/catalog/", "/catalog/kettles/", "/product/kettle-0/", "/search/?q=чайник", "/contact/"):
        sheets = stylesheets(client.get(path))
        assert static("css/shop.css") in sheets, path
        assert static("css/orders.css") not in sheets, path


def test_cart_order_and_cabinet_pages_load_the_order_styles(client):
    customer = get_user_model().objects.create_user(email="aigerim@example.kz", password="x")
    order = f.placed_order(f.delivery_setup(), user=customer)
    for path in ("/cart/", "/orders/find/", "/returns/find/", order.get_absolute_url()):
        assert static("css/orders.css") in stylesheets(client.get(path)), path
    client.force_login(customer)
    for path in ("/cabinet/orders/", "/cabinet/addresses/", order.get_absolute_url()):
        assert static("css/orders.css") in stylesheets(client.get(path)), path


# --- caching of files -------------------------------------------------------------------------------------------------


def test_hashed_static_files_are_kept_for_a_year_and_unhashed_ones_are_not(settings, tmp_path):
    """Production's storage: collectstatic writes hashed names, WhiteNoise (config.middleware.StaticFiles) marks
    them immutable."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", verbosity=0)
    hashed = static("css/shop.css")
    assert hashed != "/static/css/shop.css"  # css/shop.<hash>.css
    browser = Client()
    response = browser.get(hashed)
    assert response.status_code == 200
    assert directives(response) == YEAR
    unhashed = browser.get("/static/css/shop.css")
    assert unhashed.status_code == 200 and "immutable" not in unhashed["Cache-Control"]
    page = browser.get("/")
    assert hashed in page.content.decode()
    assert page["Cache-Control"] == "private, no-cache"  # HTML keeps its own rule


def test_product_images_are_kept_for_a_year(client):
    picture = photo(f.product())
    for entry in picture.renditions:
        response = client.get(f"/media/{entry['name']}")
        assert response.status_code == 200
        assert directives(response) == YEAR
    assert directives(client.get(f"/media/{picture.image.name}")) == YEAR


def test_other_media_keep_no_long_caching(client):
    default_storage.save("returns/2026/12/photo.jpg", ContentFile(jpeg_bytes((10, 10))))
    response = client.get("/media/returns/2026/12/photo.jpg")
    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")
    assert client.get("/media/products/none.jpg").status_code == 404
