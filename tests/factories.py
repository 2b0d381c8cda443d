"""Test data builders (plain functions over model-bakery)."""

import itertools
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from model_bakery import baker
from PIL import Image

_seq = itertools.count(1)


def png_bytes(size=(64, 64), colour=(20, 120, 200), fmt="PNG") -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def category(**kwargs):
    n = next(_seq)
    kwargs.setdefault("slug", f"cat-{n}")
    kwargs.setdefault("name_ru", f"Категория {n}")
    kwargs.setdefault("name_kk", f"Санат {n}")
    kwargs.setdefault("name_en", f"Category {n}")
    return baker.make("shop.Category", **kwargs)


def product(*, category_=None, price="10000.00", sale_price=None, stock=10, image=False, **kwargs):
    n = next(_seq)
    kwargs.setdefault("slug", f"product-{n}")
    kwargs.setdefault("name_ru", f"Товар {n}")
    kwargs.setdefault("name_kk", f"Тауар {n}")
    kwargs.setdefault("name_en", f"Product {n}")
    kwargs.setdefault("description_ru", "")
    item = baker.make("shop.Product", category=category_ or category(), **kwargs)
    baker.make(
        "shop.Variant",
        product=item,
        sku=f"SKU-{n}",
        price=Decimal(price),
        sale_price=Decimal(sale_price) if sale_price else None,
        stock=stock,
        name_ru="",
        name_kk="",
        name_en="",
    )
    if image:
        from shop.models import ProductImage

        picture = ProductImage(product=item, alt_ru=f"Фото {n}")
        picture.image.save(f"p{n}.png", ContentFile(png_bytes()), save=False)
        picture.save()
    return item
