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


# --- Orders: delivery reference data, coupons, carts and placed orders --------------------------------------------


def city_named(name_ru):
    """A seeded city by its Russian name; re-seeds the cities first when a transactional test flushed them."""
    from orders.delivery.reference_data import ensure_cities
    from orders.models import City

    if not City.objects.filter(name_ru=name_ru).exists():
        ensure_cities(City)
    return City.objects.get(name_ru=name_ru)  # not `name`: modeltranslation reads the active language


def delivery_setup(*, city_name="Алматы"):
    """The seeded city plus an all-cities tariff for every method, a pickup point and a store in that city.
    Returns a namespace with city, pickup_point, store."""
    from types import SimpleNamespace

    from orders.models import DeliveryTariff, PickupPoint, Store

    city = city_named(city_name)
    for method, base, free_from in (
        ("courier", "1500.00", "50000.00"),
        ("logistics", "3000.00", None),
        ("pickup", "800.00", None),
        ("express", "2500.00", None),
    ):
        DeliveryTariff.objects.get_or_create(
            method=method,
            city=None,
            defaults={
                "base_cost": Decimal(base),
                "per_kg": Decimal("0"),
                "bulky_surcharge": Decimal("2000"),
                "free_from": Decimal(free_from) if free_from else None,
            },
        )
    point = PickupPoint.objects.create(city=city, name_ru="Пункт выдачи 1", address_ru="ул. Абая, 1", hours_ru="10–20")
    store = Store.objects.create(city=city, name_ru="Магазин", address_ru="пр. Достык, 5")
    return SimpleNamespace(city=city, pickup_point=point, store=store)


def coupon(code="SALE10", *, kind="percent", value="10", categories=(), **kwargs):
    from datetime import timedelta

    from django.utils import timezone

    from orders.models import Coupon

    now = timezone.now()
    kwargs.setdefault("valid_from", now - timedelta(days=1))
    kwargs.setdefault("valid_until", now + timedelta(days=365))
    item = Coupon.objects.create(code=code, kind=kind, value=Decimal(value), **kwargs)
    if categories:
        item.categories.set(categories)
    return item


def cart_with(*variants_and_quantities, user=None, session_key=None):
    """A stored cart holding (variant, quantity) pairs."""
    from orders.models import Cart, CartLine

    if user is not None:  # a customer has one stored cart, emptied (not deleted) by each order
        cart = Cart.objects.get_or_create(user=user)[0]
    else:
        cart = Cart.objects.create(session_key=session_key or f"s{next(_seq)}")
    for variant, quantity in variants_and_quantities:
        CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
    return cart


def checkout_data(setup, **overrides):
    from orders.checkout.services import CheckoutData

    values = {
        "full_name": "Айгерим Сапарова",
        "email": "aigerim@example.kz",
        "phone": "+77011234567",
        "delivery_method": "courier",
        "city_id": setup.city.pk,
        "address": "ул. Абая, 10, кв. 5",
        "payment_method": "cod",
        "terms_accepted": True,
        "language": "ru",
    }
    values.update(overrides)
    return CheckoutData(**values)


def placed_order(setup=None, *, items=(("10000.00", 1),), user=None, **overrides):
    """Place a real order through the checkout service: `items` are (price, quantity)."""
    from orders.checkout.services import place_order

    setup = setup or delivery_setup()
    pairs = []
    for price, quantity in items:
        variant = product(price=price, stock=max(quantity, 5)).variants.get()
        pairs.append((variant, quantity))
    cart = cart_with(*pairs, user=user)
    return place_order(cart=cart, data=checkout_data(setup, **overrides), user=user)
