"""CAT-5 "in stock first" from Product.in_stock (issue 15): the column the listings sort by is kept by database
triggers on shop_variant (shop migration 0010) — whatever writes the stock: the ORM, the checkout's one-statement
UPDATE, a bulk insert, a delete, two sales at the same instant. Runs on SQLite too (its own triggers)."""

from decimal import Decimal

import pytest
from django.db.models import F

from orders.checkout.services import place_order
from shop.models import Product, Variant
from tests import factories as f
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db


def _state(product) -> tuple[int, bool]:
    row = Product.objects.filter(pk=product.pk).values_list("stocked_variants", "in_stock").get()
    return row


def _variant(product, sku, stock):
    return Variant.objects.create(product=product, sku=sku, price=Decimal("10000.00"), stock=stock)


def test_cat5_in_stock_follows_inserts_stock_changes_moves_and_deletes():
    product = f.product(stock=0)
    assert _state(product) == (0, False)

    second = _variant(product, "IN-2", 3)
    assert _state(product) == (1, True)
    _variant(product, "IN-3", 1)
    assert _state(product) == (2, True)

    Variant.objects.filter(pk=second.pk).update(stock=F("stock") - 3)  # sold out: 3 → 0
    assert _state(product) == (1, True)
    Variant.objects.filter(product=product).update(stock=0)  # every variant at once
    assert _state(product) == (0, False)
    Variant.objects.filter(pk=second.pk).update(stock=5)  # restocked
    assert _state(product) == (1, True)
    Variant.objects.filter(pk=second.pk).update(stock=4, price=Decimal("900.00"))  # not a crossing: unchanged
    assert _state(product) == (1, True)

    other = f.product(stock=0)
    Variant.objects.filter(pk=second.pk).update(product=other)  # moved to another product, with its stock
    assert _state(product) == (0, False)
    assert _state(other) == (1, True)

    Variant.objects.filter(pk=second.pk).delete()
    assert _state(other) == (0, False)

    Variant.objects.bulk_create(
        [Variant(product=product, sku=f"BULK-{n}", price=Decimal("1.00"), stock=n % 2) for n in range(6)]
    )
    assert _state(product) == (3, True)


def test_cat5_saving_a_stale_product_never_brings_its_stock_back():
    """An admin form opened before the last unit sold: saving the product's name must not mark it in stock again."""
    product = f.product(stock=1)
    stale = Product.objects.get(pk=product.pk)
    assert stale.stocked_variants == 1
    Variant.objects.filter(product=product).update(stock=0)
    stale.name_ru = "Переименованный товар"
    stale.save()
    assert _state(product) == (0, False)
    assert Product.objects.get(pk=product.pk).name_ru == "Переименованный товар"


def test_cat5_a_sold_out_product_goes_after_the_ones_in_stock_on_its_category_page(client):
    shelf = f.category(slug="kettles")
    first = f.product(category_=shelf, name_ru="Чайник первый", stock=1)
    f.product(category_=shelf, name_ru="Чайник второй", stock=1)  # newer: shown first while both are in stock
    html = client.get("/catalog/kettles/").content.decode()
    assert html.index("Чайник второй") < html.index("Чайник первый")
    Variant.objects.filter(product__name_ru="Чайник второй").update(stock=0)
    f.product(category_=f.category(), stock=1)  # (a catalogue change: the cached page is not reused)
    from shop.page_cache import bump_catalogue_version

    bump_catalogue_version()
    html = client.get("/catalog/kettles/").content.decode()
    assert html.index("Чайник первый") < html.index("Чайник второй")
    assert _state(first) == (1, True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cat5_two_last_units_sold_at_the_same_instant_leave_the_product_out_of_stock():
    """Two buyers each take the last unit of a different variant of one product at once (two transactions): each
    alone would see the other's variant still in stock. The counter must end at 0, not 1."""
    from orders.models import City

    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    setup = f.delivery_setup(city_name="Алматы")
    product = f.product(stock=1)
    other = _variant(product, "LAST-2", 1)
    variants = list(Variant.objects.filter(product=product).order_by("pk"))
    assert [v.pk for v in variants][-1] == other.pk
    assert _state(product) == (2, True)

    def buy(variant):
        def job():
            cart = f.cart_with((variant, 1))
            return place_order(cart=cart, data=f.checkout_data(setup))

        return job

    results, crashed = run_together([buy(variant) for variant in variants])
    assert not crashed, crashed
    assert len(results) == 2
    assert list(Variant.objects.filter(product=product).values_list("stock", flat=True)) == [0, 0]
    assert _state(product) == (0, False)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cat5_checkouts_crossing_the_same_products_in_opposite_orders_do_not_deadlock():
    """Each checkout sells the last unit of one variant of product A and one of product B, the variants numbered
    so that one order's rows come A-then-B and the other's B-then-A: the trigger locks the products in id order,
    so neither waits for the other."""
    from orders.models import City

    if not City.objects.filter(name_ru="Алматы").exists():
        City.objects.create(name="Алматы", name_ru="Алматы", name_kk="Алматы", name_en="Almaty")
    setup = f.delivery_setup(city_name="Алматы")
    a = f.product(stock=1)  # variant a1 (lowest id)
    b = f.product(stock=1)  # variant b1
    a2 = _variant(a, "A-2", 1)  # a2 after b1: the second order's rows in id order are b1, a2
    b2 = _variant(b, "B-2", 1)
    a1 = Variant.objects.get(product=a, sku__startswith="SKU-")
    b1 = Variant.objects.get(product=b, sku__startswith="SKU-")

    def buy(*variants):
        def job():
            cart = f.cart_with(*((variant, 1) for variant in variants))
            return place_order(cart=cart, data=f.checkout_data(setup))

        return job

    for _round in range(3):
        Variant.objects.filter(pk__in=[a1.pk, a2.pk, b1.pk, b2.pk]).update(stock=1)
        results, crashed = run_together([buy(a1, b2), buy(b1, a2)])
        assert not crashed, crashed
        assert len(results) == 2
        assert _state(a) == (0, False) and _state(b) == (0, False)
        assert not Variant.objects.filter(pk__in=[a1.pk, a2.pk, b1.pk, b2.pk], stock__gt=0).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cat5_staff_saving_a_product_while_its_last_unit_sells_do_not_deadlock():
    """A checkout holds the variant (its row lock) and, selling the last unit, needs the product row (the trigger);
    staff save the product and then its variants (the admin form with inline variants). Saving the product takes its
    variants' locks first, so staff wait for the sale instead of taking the product row and deadlocking with it."""
    import threading
    import time

    from django.db import connection, transaction

    product = f.product(stock=1)
    variant = Variant.objects.get(product=product)
    sale_holds_variant, staff_started = threading.Event(), threading.Event()
    errors = []

    def sale():
        try:
            with transaction.atomic():
                locked = Variant.objects.select_for_update().get(pk=variant.pk)  # as orders.locks does
                sale_holds_variant.set()
                staff_started.wait(10)
                time.sleep(0.3)  # staff are now saving the product
                Variant.objects.filter(pk=locked.pk).update(stock=F("stock") - 1)  # the trigger needs the product
        except Exception as error:  # asserted below
            errors.append(error)
        finally:
            connection.close()

    def staff():
        try:
            sale_holds_variant.wait(10)
            with transaction.atomic():
                staff_started.set()
                edited = Product.objects.get(pk=product.pk)
                edited.name_ru = "Новое название"
                edited.save()
                Variant.objects.filter(pk=variant.pk).update(price=Decimal("9000.00"))  # the inline variant
        except Exception as error:  # asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sale), threading.Thread(target=staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert _state(product) == (0, False)
    assert Variant.objects.get(pk=variant.pk).price == Decimal("9000.00")
    assert Product.objects.get(pk=product.pk).name_ru == "Новое название"
