"""Catalogue admin (CAT-1, CAT-2): search, filters, inlines, validated image upload with thumbnails."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.models import Product, ProductImage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.kz", password="pw-123456")
    client.force_login(admin)
    return client


def test_cat1_product_changelist_search_and_filters(staff_client):
    cat = f.category(slug="kitchen")
    f.product(category_=cat, name_ru="Миксер Арман", brand="Arman", sale_price="9000", price="10000")
    f.product(category_=cat, name_ru="Тостер Болат", brand="Bolat", stock=0)
    html = staff_client.get("/admin/shop/product/?q=Миксер").content.decode()
    assert "Миксер Арман" in html and "Тостер Болат" not in html
    html = staff_client.get("/admin/shop/product/?q=bolat").content.decode()  # brand, any case
    assert "Тостер Болат" in html and "Миксер Арман" not in html
    html = staff_client.get("/admin/shop/product/?stock=out").content.decode()
    assert "Тостер Болат" in html and "Миксер Арман" not in html
    html = staff_client.get("/admin/shop/product/?sale=yes").content.decode()
    assert "Миксер Арман" in html and "Тостер Болат" not in html
    for query in ("?is_active__exact=1", "?seasonal__exact=0", f"?category__id__exact={cat.pk}", "?q=SKU"):
        assert staff_client.get(f"/admin/shop/product/{query}").status_code == 200
    assert staff_client.get("/admin/shop/category/?q=kitchen").status_code == 200


def _product_form(category, image_file, **overrides):
    data = {
        "category": category.pk,
        "name_ru": "Пылесос Самал",
        "name_kk": "Самал шаңсорғышы",
        "name_en": "Samal vacuum",
        "slug": "samal-vacuum",
        "brand": "Samal",
        "description_ru": "Мощный",
        "is_active": "on",
        "vat_rate": "16",
        "returnable": "unknown",
        "non_returnable_reason": "",
        "bonus_payable": "unknown",
        "bonus_earning": "unknown",
        "warranty_months": "",
        "season_start_day": "",
        "season_start_month": "",
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-sku": "SAMAL-1",
        "variants-0-name_ru": "Белый",
        "variants-0-price": "59990",
        "variants-0-sale_price": "",
        "variants-0-stock": "4",
        "variants-0-weight_kg": "6.5",
        "variants-0-position": "0",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "images-0-image": image_file,
        "images-0-alt_ru": "Пылесос спереди",
        "images-0-position": "0",
    }
    data.update(overrides)
    return data


def test_cat1_admin_creates_a_product_with_variant_and_thumbnailed_image(staff_client):
    cat = f.category()
    upload = SimpleUploadedFile("vacuum.png", f.png_bytes(size=(1600, 1200)), content_type="image/png")
    response = staff_client.post("/admin/shop/product/add/", _product_form(cat, upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(slug="samal-vacuum")
    assert product.variants.get().price == 59990
    picture = ProductImage.objects.get(product=product)
    assert picture.thumbnail.name.endswith("-thumb.jpg") and picture.large.name.endswith("-large.jpg")
    assert picture.thumbnail.width == 400 and picture.thumbnail.height == 300


def test_cat1_admin_rejects_a_fake_image_with_a_message(staff_client):
    cat = f.category()
    fake = SimpleUploadedFile("evil.png", b"#!/bin/sh\necho pwned", content_type="image/png")
    response = staff_client.post("/admin/shop/product/add/", _product_form(cat, fake))
    assert response.status_code == 200
    assert not Product.objects.filter(slug="samal-vacuum").exists()
    assert "errorlist" in response.content.decode()


def test_cat1_sale_price_must_be_below_price_in_admin(staff_client):
    cat = f.category()
    upload = SimpleUploadedFile("v.png", f.png_bytes(), content_type="image/png")
    response = staff_client.post(
        "/admin/shop/product/add/", _product_form(cat, upload, **{"variants-0-sale_price": "70000"})
    )
    assert response.status_code == 200
    assert not Product.objects.filter(slug="samal-vacuum").exists()


def test_cat2_seasonal_product_needs_its_season_start(staff_client):
    cat = f.category()
    upload = SimpleUploadedFile("v.png", f.png_bytes(), content_type="image/png")
    response = staff_client.post("/admin/shop/product/add/", _product_form(cat, upload, seasonal="on"))
    assert response.status_code == 200
    assert not Product.objects.filter(slug="samal-vacuum").exists()
    upload = SimpleUploadedFile("v.png", f.png_bytes(), content_type="image/png")
    response = staff_client.post(
        "/admin/shop/product/add/",
        _product_form(cat, upload, seasonal="on", season_start_day="1", season_start_month="11"),
    )
    assert response.status_code == 302
    assert Product.objects.get(slug="samal-vacuum").season_start_month == 11


def test_cat2_non_returnable_product_needs_a_reason(staff_client):
    cat = f.category()
    upload = SimpleUploadedFile("v.png", f.png_bytes(), content_type="image/png")
    response = staff_client.post("/admin/shop/product/add/", _product_form(cat, upload, returnable="false"))
    assert response.status_code == 200
    assert not Product.objects.filter(slug="samal-vacuum").exists()


def test_catalogue_admin_is_closed_to_customers(client, django_user_model):
    customer = django_user_model.objects.create_user(email="buyer@example.kz", password="pw-123456")
    client.force_login(customer)
    response = client.get("/admin/shop/product/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.postgres
def test_cat1_admin_search_ignores_case_of_cyrillic(staff_client):
    f.product(name_ru="Миксер Арман")
    html = staff_client.get("/admin/shop/product/?q=миксер").content.decode()
    assert "Миксер Арман" in html
