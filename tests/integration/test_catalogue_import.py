"""The catalogue importer and `manage.py import_catalogue` (CAT-1, CAT-2): a shop owner's spreadsheet export goes in
idempotently by SKU, bad rows are refused with their row number and the reason, the good rows still go in."""

import csv
import zipfile
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shop.catalogue_import import import_catalogue, import_products
from shop.models import Category, NonReturnableReason, Product, ProductImage, Variant
from tests import factories as f

pytestmark = pytest.mark.django_db

COLUMNS = [
    "sku", "product", "category", "name_ru", "name_kk", "name_en", "variant_ru", "variant_kk", "variant_en",
    "price", "sale_price", "stock", "weight_kg", "bulky", "brand", "description_ru", "description_kk",
    "description_en", "returnable", "non_returnable_reason", "bonus_payable", "warranty_months",
    "season_start_month", "season_start_day", "image",
]  # fmt: skip


def row(sku, **cells) -> dict:
    """A good row for a one-SKU product; `cells` override or blank any column."""
    n = sku.lower()
    return {
        "sku": sku,
        "product": f"p-{n}",
        "category": "kitchen",
        "name_ru": f"Чайник {sku}",
        "name_kk": f"Шәйнек {sku}",
        "name_en": f"Kettle {sku}",
        "price": "12 990",
        "stock": "7",
        **cells,
    }


def write_csv(path, rows, *, columns=COLUMNS, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def reasons(report) -> dict[int, str]:
    return {refused.row: refused.reason for refused in report.refused}


@pytest.fixture
def kitchen():
    home = f.category(slug="home")
    return f.category(slug="kitchen", parent=home, returnable=True)


@pytest.fixture
def good_file(tmp_path, kitchen):
    return write_csv(
        tmp_path / "goods.csv",
        [
            # one product with two SKUs: the second row leaves the product's columns blank
            row("TEA-1", category="home/kitchen", variant_ru="Белый", variant_kk="Ақ", variant_en="White",
                price="45 990", sale_price="39990,50", weight_kg="1,25", bulky="yes", brand="Arman",
                description_ru="Быстро кипятит.", description_kk="Тез қайнатады.", description_en="Boils fast.",
                warranty_months="24", bonus_payable="no"),
            {"sku": "TEA-2", "product": "p-tea-1", "variant_ru": "Чёрный", "variant_kk": "Қара", "variant_en": "Black",
             "price": "47990.00", "stock": "0"},
            row("CREAM-1", name_ru="Крем", name_kk="Крем", name_en="Hand cream", returnable="no",
                non_returnable_reason="hygiene", season_start_month="4", season_start_day="1"),
        ],
    )  # fmt: skip


def test_cat1_good_file_imports_products_skus_decimal_prices_and_translations(good_file, kitchen):
    """CAT-1: one row per SKU; rows of one product become its variants; money is Decimal; names in ru, kk, en."""
    # when
    report = import_catalogue(good_file)

    # then
    assert report.refused == []
    assert (report.counts["product"]["created"], report.counts["sku"]["created"]) == (2, 3)
    kettle = Product.objects.get(slug="p-tea-1")
    assert (kettle.category, kettle.brand, kettle.warranty_months) == (kitchen, "Arman", 24)
    assert (kettle.name_ru, kettle.name_kk, kettle.name_en) == ("Чайник TEA-1", "Шәйнек TEA-1", "Kettle TEA-1")
    assert (kettle.description_kk, kettle.description_en) == ("Тез қайнатады.", "Boils fast.")
    white, black = kettle.variants.order_by("position")
    assert (white.sku, white.name_kk, white.name_en) == ("TEA-1", "Ақ", "White")
    assert isinstance(white.price, Decimal)
    assert (white.price, white.sale_price, white.weight_kg, white.is_bulky) == (
        Decimal("45990.00"),
        Decimal("39990.50"),
        Decimal("1.250"),
        True,
    )
    assert (black.sku, black.price, black.sale_price, black.stock) == ("TEA-2", Decimal("47990.00"), None, 0)


def test_cat2_flags_come_from_the_file(good_file):
    """CAT-2: non-returnable with its reason, may not be paid with bonuses, seasonal with a season start."""
    import_catalogue(good_file)

    cream, kettle = Product.objects.get(slug="p-cream-1"), Product.objects.get(slug="p-tea-1")
    assert not cream.is_returnable and cream.non_returnable_reason == NonReturnableReason.HYGIENE
    assert cream.returns_refusal_reason
    assert cream.seasonal and (cream.season_start_month, cream.season_start_day) == (4, 1)
    assert kettle.is_returnable and kettle.returnable is None  # blank: as the category
    assert not kettle.is_bonus_payable and cream.is_bonus_payable


def test_cat1_second_run_changes_nothing_and_a_changed_price_updates_only_that_sku(good_file, tmp_path):
    """CAT-1: idempotent by SKU: the same file again writes nothing; a new price rewrites that SKU alone."""
    # given
    import_catalogue(good_file)
    before = dict(Product.objects.values_list("slug", "updated_at"))

    # when
    again = import_catalogue(good_file)

    # then
    assert (again.created, again.updated, again.refused) == (0, 0, [])
    assert again.counts["sku"]["unchanged"] == 3 and again.counts["product"]["unchanged"] == 2
    assert dict(Product.objects.values_list("slug", "updated_at")) == before

    # when: the owner changes one price in the spreadsheet
    text = good_file.read_text(encoding="utf-8").replace("47990.00", "44990.00")
    good_file.write_text(text, encoding="utf-8")
    changed = import_catalogue(good_file)

    # then
    assert (changed.created, changed.updated) == (0, 1)
    assert changed.counts["sku"]["updated"] == 1
    assert Variant.objects.get(sku="TEA-2").price == Decimal("44990.00")


def test_cat1_bad_rows_are_refused_with_row_and_reason_and_the_good_rows_go_in(tmp_path, kitchen):
    """CAT-1, CAT-2: unknown category, negative price, duplicate SKU, missing translation, bad image, a word where
    a number belongs and a NUL byte each refuse their row (numbered as in the spreadsheet: header = row 1), and
    only that row; nothing of a refused row is written."""
    # given
    images = tmp_path / "images"
    images.mkdir()
    (images / "good.png").write_bytes(f.png_bytes())
    (images / "broken.jpg").write_bytes(b"this is not a picture")
    path = write_csv(
        tmp_path / "goods.csv",
        [
            row("OK-1", image="good.png"),  # row 2
            row("BAD-CAT", category="garden"),  # row 3
            row("BAD-PRICE", price="-100"),  # row 4
            row("DUP", name_en="Kettle one"),  # row 5
            row("DUP", product="p-dup-2"),  # row 6
            row("BAD-KK", name_kk=""),  # row 7
            row("BAD-IMG", image="broken.jpg"),  # row 8
            row("BAD-NUM", stock="lots"),  # row 9
            row("BAD-NUL", name_en="Kettle\x00"),  # row 10
            row("OK-2", sale_price="9990"),  # row 11
            row("BAD-SALE", sale_price="15000"),  # row 12
        ],
    )

    # when
    report = import_products(path, images=images)

    # then
    assert set(Variant.objects.values_list("sku", flat=True)) == {"OK-1", "OK-2"}
    assert set(Product.objects.values_list("slug", flat=True)) == {"p-ok-1", "p-ok-2"}
    refused = reasons(report)
    assert sorted(refused) == [3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert "unknown category 'garden'" in refused[3]
    assert "price '-100' is negative" in refused[4]
    assert "duplicate SKU" in refused[5] and "rows 5, 6" in refused[5] and "duplicate SKU" in refused[6]
    assert "missing translation: name_kk" in refused[7]
    assert "image 'broken.jpg'" in refused[8] and "not a valid image" in refused[8]
    assert "stock 'lots' is not a whole number" in refused[9]
    assert "NUL character" in refused[10] and "name_en" in refused[10]
    assert "sale_price '15000' must be below price" in refused[12]
    assert {r.key for r in report.refused if r.row == 4} == {"BAD-PRICE"}
    assert report.rows_read == 11 and report.counts["image"]["created"] == 1


def test_cat1_a_product_whose_write_fails_leaves_nothing_behind(tmp_path, kitchen, monkeypatch):
    """CAT-1: a product, its SKUs and its image are written together: when storing the image fails, the product
    and its SKUs are rolled back and reported; the next product still goes in."""
    # given
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(f.png_bytes())
    path = write_csv(tmp_path / "goods.csv", [row("A-1", image="a.png"), row("B-1")])
    original_save = ProductImage.save

    def full_disk(self, *args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(ProductImage, "save", full_disk)

    # when
    report = import_products(path, images=tmp_path / "images")

    # then
    assert not Product.objects.filter(slug="p-a-1").exists() and not Variant.objects.filter(sku="A-1").exists()
    assert Variant.objects.filter(sku="B-1").exists()
    assert "No space left on device" in reasons(report)[2]

    # and the same file goes in whole once the storage works again
    monkeypatch.setattr(ProductImage, "save", original_save)
    again = import_products(path, images=tmp_path / "images")
    assert again.refused == [] and Variant.objects.filter(sku="A-1").exists()


def test_cat1_images_from_a_folder_are_validated_thumbnailed_and_not_rewritten(tmp_path, kitchen):
    """CAT-1: images named by the file come from a folder, get thumbnails and alt texts; the same file twice
    stores each image once; a changed image replaces the old one."""
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "kettle.png").write_bytes(f.png_bytes(colour=(200, 0, 0)))
    path = write_csv(tmp_path / "goods.csv", [row("IMG-1", image="kettle.png")])

    first = import_products(path, images=folder)
    second = import_products(path, images=folder)

    image = ProductImage.objects.get(product__slug="p-img-1")
    assert image.thumbnail and image.large and image.alt_en == "Kettle IMG-1" and image.alt_kk == "Шәйнек IMG-1"
    assert first.counts["image"]["created"] == 1 and second.counts["image"] == {"unchanged": 1}
    assert (second.created, second.updated) == (0, 0)

    (folder / "kettle.png").write_bytes(f.png_bytes(colour=(0, 200, 0)))
    third = import_products(path, images=folder)
    assert third.counts["image"]["updated"] == 1 and ProductImage.objects.filter(product__slug="p-img-1").count() == 1


def test_cat1_images_from_a_zip_and_no_way_out_of_it(tmp_path, kitchen):
    """CAT-1: images come from a zip too (also when the archive holds them in a folder); a name reaching outside
    the images is refused."""
    archive = tmp_path / "images.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("photos/zip-kettle.jpg", f.png_bytes(fmt="JPEG"))
    path = write_csv(
        tmp_path / "goods.csv",
        [row("ZIP-1", image="zip-kettle.jpg"), row("ZIP-2", image="../../etc/passwd.jpg"), row("ZIP-3", image="x.png")],
    )

    report = import_products(path, images=archive)

    assert ProductImage.objects.filter(product__slug="p-zip-1").exists()
    refused = reasons(report)
    assert sorted(refused) == [3, 4]
    assert "inside the images folder or zip" in refused[3] and "'x.png' is not in images.zip" in refused[4]


def test_cat1_import_catalogue_command_prints_the_report(good_file, tmp_path, kitchen):
    """CAT-1: `manage.py import_catalogue FILE` prints the counts and every refused row with its number and reason;
    images default to an images/ folder beside the file; a second run changes nothing."""
    # given: semicolons, as a Russian-locale spreadsheet writes them, and a categories file imported first
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "kettle.png").write_bytes(f.png_bytes())
    categories = write_csv(
        tmp_path / "categories.csv",
        [{"slug": "garden", "parent": "home", "name_ru": "Сад", "name_kk": "Бақ", "name_en": "Garden"}],
        columns=["slug", "parent", "name_ru", "name_kk", "name_en"],
    )
    path = write_csv(
        tmp_path / "shop.csv",
        [row("CMD-1", category="garden", image="kettle.png"), row("CMD-2", price="abc")],
        delimiter=";",
    )

    # when
    out = StringIO()
    call_command("import_catalogue", str(path), "--categories", str(categories), stdout=out)
    again = StringIO()
    call_command("import_catalogue", str(path), "--categories", str(categories), stdout=again)

    # then
    printed = out.getvalue()
    assert Category.objects.get(slug="garden").parent.slug == "home"
    assert "Categories: 1 created" in printed and "Products: 1 created" in printed
    assert "SKUs: 1 created" in printed and "Images: 1 created" in printed
    assert "shop.csv row 3 (CMD-2): price 'abc' is not a number" in printed
    assert "1 rows refused" in printed
    assert "Products: 0 created, 0 updated, 1 unchanged" in again.getvalue()
    assert "Images: 0 created, 0 updated, 1 unchanged" in again.getvalue()


def test_cat1_a_file_that_cannot_be_read_gets_a_clear_error_not_a_traceback(tmp_path, kitchen):
    """CAT-1: a file that is not UTF-8, lacks a required column or does not exist stops the command with one
    plain sentence."""
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("sku,category,price,name_ru,name_kk,name_en\nA,kitchen,10,Café,Café,Café\n".encode("cp1252"))
    no_kk = write_csv(tmp_path / "no-kk.csv", [row("X")], columns=["sku", "category", "price", "name_ru", "name_en"])

    with pytest.raises(CommandError, match=r"latin1\.csv is not UTF-8 text .*line 2.*CSV UTF-8"):
        call_command("import_catalogue", str(latin), stdout=StringIO())
    with pytest.raises(CommandError, match="lacks the required columns name_kk"):
        call_command("import_catalogue", str(no_kk), stdout=StringIO())
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_catalogue", str(tmp_path / "missing.csv"), stdout=StringIO())
    good = write_csv(tmp_path / "good.csv", [row("Y")])
    with pytest.raises(CommandError, match=r"must be a folder or a \.zip"):
        call_command("import_catalogue", str(good), "--images", str(good), stdout=StringIO())
    assert not Product.objects.exists()


def test_cat1_categories_file_and_product_rows_that_contradict_each_other(tmp_path, kitchen):
    """CAT-1: a categories file refuses an unknown parent and a loop in the tree; two rows of one product that
    give it different names refuse the later row, the first goes in."""
    # given
    categories = write_csv(
        tmp_path / "categories.csv",
        [
            {"slug": "tea", "parent": "kitchen", "name_ru": "Чай", "name_kk": "Шай", "name_en": "Tea"},
            {"slug": "mugs", "parent": "cups", "name_ru": "Кружки", "name_kk": "Саптыаяқ", "name_en": "Mugs"},
            {"slug": "home", "parent": "tea", "name_ru": "Дом", "name_kk": "Үй", "name_en": "Home"},
        ],
        columns=["slug", "parent", "name_ru", "name_kk", "name_en"],
    )
    goods = write_csv(
        tmp_path / "goods.csv",
        [
            row("T-1", product="teapot", category="home/kitchen/tea"),
            row("T-2", product="teapot", category="", name_ru="", name_kk="", name_en="Pot"),
        ],
    )

    # when
    report = import_catalogue(goods, categories=categories)

    # then
    refused = {(r.file, r.row): r.reason for r in report.refused}
    assert "unknown parent category 'cups'" in refused["categories.csv", 3]
    assert "cannot be its own ancestor" in refused["categories.csv", 4]
    assert "name_en 'Pot' differs from 'Kettle T-1' on row 2" in refused["goods.csv", 3]
    assert Category.objects.get(slug="home").parent is None
    assert list(Product.objects.get(slug="teapot").variants.values_list("sku", flat=True)) == ["T-1"]
