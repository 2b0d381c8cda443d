"""seed_demo builds a browsable demo shop (CAT-1, CAT-2, LEG-1, STAFF-1) and is idempotent.

The command runs twice, once for the whole module (it renders ~190 images): inside an outer transaction that
is rolled back at the end, so none of the seeded rows leak into other tests.
"""

import re
import time
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from orders.models import City, Coupon, DeliveryTariff, PickupPoint, Store, StoreStock
from shop.models import Category, NonReturnableReason, Page, Product, ProductImage, Variant

ADMIN_EMAIL = "seed-admin@example.com"
ADMIN_PASSWORD = "seed-demo-pass-1"
CYRILLIC = re.compile("[А-Яа-яЁё]")
KAZAKH_LETTERS = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "categories": Category.objects.count(),
        "products": Product.objects.count(),
        "variants": Variant.objects.count(),
        "images": ProductImage.objects.count(),
        "pages": Page.objects.count(),
        "groups": Group.objects.filter(name__in=["Support", "Finance"]).count(),
        "admins": get_user_model().objects.filter(email__iexact=ADMIN_EMAIL).count(),
        "tariffs": DeliveryTariff.objects.count(),
        "pickup_points": PickupPoint.objects.count(),
        "stores": Store.objects.count(),
        "store_stock": StoreStock.objects.count(),
        "coupons": Coupon.objects.count(),
    }


def _snapshot() -> dict:
    """What a second run must leave untouched: every product's update time, every SKU's data, every file."""
    return {
        "products": dict(Product.objects.values_list("slug", "updated_at")),
        "variants": {
            sku: (price, sale, stock)
            for sku, price, sale, stock in Variant.objects.values_list("sku", "price", "sale_price", "stock")
        },
        "images": sorted(ProductImage.objects.values_list("image", "thumbnail", "large")),
    }


def _run(*args) -> tuple[str, float]:
    out = StringIO()
    started = time.perf_counter()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue(), time.perf_counter() - started


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with pytest.MonkeyPatch.context() as mp, django_db_blocker.unblock(), transaction.atomic():
        mp.setenv("DEMO_ADMIN_EMAIL", ADMIN_EMAIL)
        mp.setenv("DEMO_ADMIN_PASSWORD", ADMIN_PASSWORD)
        first_output, first_seconds = _run()
        first = _counts()
        before = _snapshot()
        second_output, second_seconds = _run()
        yield SimpleNamespace(
            first=first,
            second=_counts(),
            before=before,
            after=_snapshot(),
            first_output=first_output,
            second_output=second_output,
            first_seconds=first_seconds,
            second_seconds=second_seconds,
        )
        transaction.set_rollback(True)


def test_cat1_category_tree_with_eight_or_more_roots(seeded):
    """CAT-1: a category tree: at least 8 top-level categories, each with subcategories holding the products."""
    roots = Category.objects.filter(parent__isnull=True).annotate(n=Count("children"))
    assert roots.count() >= 8
    assert all(root.n >= 1 for root in roots)
    assert not Product.objects.filter(category__parent__isnull=True).exists()  # products sit in subcategories


def test_cat1_products_have_priced_skus_with_stock_and_images(seeded):
    """CAT-1: at least 150 products, each with 1-3 SKUs (KZT prices, 2 places) and an image with thumbnails."""
    assert Product.objects.count() >= 150
    per_product = Product.objects.annotate(v=Count("variants", distinct=True), i=Count("images", distinct=True))
    assert all(1 <= p.v <= 3 and p.i >= 1 for p in per_product)

    for variant in Variant.objects.all():
        assert variant.price.as_tuple().exponent == -2
        assert 1_500 <= variant.price <= 900_000
        assert variant.sale_price is None or 0 < variant.sale_price < variant.price

    for image in ProductImage.objects.all():
        assert image.thumbnail and image.large
        storage = image.image.storage
        assert storage.exists(image.image.name)
        assert storage.exists(image.thumbnail.name)
        assert storage.exists(image.large.name)


def test_cat1_some_on_sale_some_out_of_stock_some_low(seeded):
    """CAT-1: the demo shows every availability and price state: on sale, sold out, low stock, in stock."""
    total = Product.objects.count()
    on_sale = Product.objects.filter(variants__sale_price__isnull=False).distinct().count()
    sold_out = Product.objects.exclude(variants__stock__gt=0).count()
    low = Product.objects.filter(variants__stock__range=(1, 5)).distinct().count()
    assert 0.10 * total <= on_sale <= 0.35 * total
    assert 0.04 * total <= sold_out <= 0.20 * total
    assert low > 0
    assert Product.objects.filter(variants__stock__gt=5).exists()


def test_cat2_flags_seasonal_non_returnable_bonus_and_services(seeded):
    """CAT-2: seasonal goods with a season start, non-returnable goods with a reason shown, goods that may not
    be paid with bonuses, and services that never earn bonuses."""
    seasonal = Product.objects.filter(seasonal=True)
    assert seasonal.count() >= 10
    assert not seasonal.filter(Q(season_start_month__isnull=True) | Q(season_start_day__isnull=True)).exists()
    winter_tyres = Product.objects.filter(category__slug="winter-tyres")
    assert winter_tyres.exists()
    assert all((p.season_start_month, p.season_start_day) == (11, 1) for p in winter_tyres)

    own = Product.objects.filter(returnable=False)
    assert own.count() >= 5
    assert set(own.values_list("non_returnable_reason", flat=True)) <= set(NonReturnableReason.values)
    assert all(p.returns_refusal_reason for p in own)

    hygiene = Category.objects.get(slug="beauty-and-health")
    assert (hygiene.returnable, hygiene.non_returnable_reason) == (False, NonReturnableReason.HYGIENE)
    cream = Product.objects.filter(category__parent=hygiene).first()
    assert not cream.is_returnable
    assert cream.returns_refusal_reason

    assert Product.objects.filter(bonus_payable=False).exists()
    services = Product.objects.filter(is_service=True)
    assert services.exists()
    assert not any(p.is_bonus_earning for p in services)

    for product in Product.objects.all():
        product.full_clean()  # the model's own rules (season date, reason for non-returnable) hold too


def test_cat1_names_and_descriptions_in_russian_kazakh_and_english(seeded):
    """CAT-1: every category and product is named and described in ru, kk and en (real text, not copies)."""
    for obj in [*Category.objects.all(), *Product.objects.all()]:
        for lang in ("ru", "kk", "en"):
            assert getattr(obj, f"name_{lang}"), (obj.pk, lang)
            assert getattr(obj, f"description_{lang}"), (obj.pk, lang)
        assert not CYRILLIC.search(obj.name_en), obj.name_en
        assert CYRILLIC.search(obj.description_kk)
        assert not CYRILLIC.search(obj.description_en), obj.description_en
    assert Product.objects.filter(name_kk__regex=KAZAKH_LETTERS.pattern).count() >= 100
    assert all(image.alt_kk and image.alt_en for image in ProductImage.objects.all())


def test_leg1_information_pages_in_every_language(seeded):
    """LEG-1: terms, privacy, cookies, delivery, payment, returns, warranty and loyalty pages in ru, kk, en."""
    pages = {page.slug: page for page in Page.objects.all()}
    assert set(Page.Kind.values) <= set(pages)
    for slug in Page.Kind.values:
        page = pages[slug]
        assert page.is_published
        for lang in ("ru", "kk", "en"):
            assert getattr(page, f"title_{lang}")
            body = getattr(page, f"body_{lang}")
            assert body.count("\n\n") >= 2, (slug, lang)  # a few paragraphs for |linebreaks
        assert KAZAKH_LETTERS.search(page.body_kk)
        assert not CYRILLIC.search(page.body_en)
    assert "14" in pages["returns"].body_en
    assert "20,000" in pages["delivery"].body_en
    assert "Kaspi" in pages["payment"].body_ru


def test_staff1_groups_and_admin_exist(seeded):
    """STAFF-1: the Support and Finance groups exist; the demo admin from the environment can log in."""
    assert set(Group.objects.filter(name__in=["Support", "Finance"]).values_list("name", flat=True)) == {
        "Support",
        "Finance",
    }
    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.check_password(ADMIN_PASSWORD)
    assert f"Admin: http://127.0.0.1:8000/admin/ — {ADMIN_EMAIL} / {ADMIN_PASSWORD}" in seeded.first_output


def test_cat1_second_run_creates_and_changes_nothing(seeded):
    """CAT-1: seed_demo is idempotent: the second run adds no rows, writes no row and renders no image."""
    assert seeded.second == seeded.first
    assert seeded.after == seeded.before
    assert " 0 created, 0 updated" in seeded.second_output
    assert "0 images generated" in seeded.second_output
    assert seeded.second_seconds < seeded.first_seconds


def test_dlv1_cpn1_demo_delivery_and_coupons_let_a_guest_buy(seeded):
    """DLV-1..3, CPN-1: every method is priced in every city (Almaty's courier cheaper), pickup points in the big
    cities, express from the Almaty store in ordering hours; WELCOME10 applies, SUMMER15 says it has expired;
    a guest places an order on nothing but the demo data."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from orders.checkout.pricing import price_lines
    from orders.checkout.services import place_order
    from orders.delivery.selectors import delivery_options
    from tests import factories as f

    # given: tomorrow noon (coupons run from the seeding) and an SKU the Almaty store holds, not on sale, above
    # the WELCOME10 minimum and below the free-delivery thresholds
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(ZoneInfo("Asia/Almaty"))
    noon = tomorrow.replace(hour=12, minute=0)
    almaty, karaganda = City.objects.get(name_ru="Алматы"), City.objects.get(name_ru="Караганда")
    held = (
        StoreStock.objects.filter(
            store__city=almaty,
            quantity__gte=1,
            variant__stock__gte=1,
            variant__sale_price__isnull=True,
            variant__price__range=(5000, 19000),
            variant__product__is_service=False,
        )
        .select_related("variant")
        .first()
    )
    assert "Demo coupons: WELCOME10" in seeded.first_output and "SUMMER15 (expired)" in seeded.first_output
    assert {"Алматы", "Астана", "Шымкент"} <= set(PickupPoint.objects.values_list("city__name_ru", flat=True))
    assert Store.objects.filter(city__name_ru="Астана").exists()
    cart = f.cart_with((held.variant, 1))
    lines = list(cart.lines.select_related("variant__product"))

    # when
    in_almaty = {o.method: o for o in delivery_options(city_id=almaty.pk, lines=lines, now=noon)}
    in_karaganda = {o.method: o for o in delivery_options(city_id=karaganda.pk, lines=lines, now=noon)}
    welcome = price_lines(lines, slot={"kind": "coupon", "code": "welcome10"}, email="new@example.kz", now=noon)
    summer = price_lines(lines, slot={"kind": "coupon", "code": "SUMMER15"}, email="new@example.kz", now=noon)

    # then
    assert all(o.available for o in in_almaty.values()), in_almaty
    assert in_almaty["courier"].cost < in_karaganda["courier"].cost
    assert in_karaganda["pickup"].available and not in_karaganda["express"].available
    assert welcome.discount_total > 0 and not welcome.discount_error
    assert summer.discount_total == 0 and summer.discount_error
    point = PickupPoint.objects.filter(city=almaty).first()
    data = f.checkout_data(
        SimpleNamespace(city=almaty), delivery_method="pickup", pickup_point_id=point.pk, coupon_code="WELCOME10"
    )
    order = place_order(cart=cart, data=data, now=noon)
    assert order.discount_total == welcome.discount_total and order.lines.count() == 1


def test_admin_password_kept_unless_reset(seeded, monkeypatch):
    """A rerun keeps a changed admin password; --reset-admin sets it from DEMO_ADMIN_PASSWORD again."""
    monkeypatch.setenv("DEMO_ADMIN_EMAIL", ADMIN_EMAIL)
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    admin.set_password("changed-by-the-admin")
    admin.save()

    output, _ = _run()
    admin.refresh_from_db()
    assert admin.check_password("changed-by-the-admin")
    assert "password changed" in output and "changed-by-the-admin" not in output

    _run("--reset-admin")
    admin.refresh_from_db()
    assert admin.check_password(ADMIN_PASSWORD)


def test_once_leaves_an_existing_shop_alone(seeded, monkeypatch):
    """`make run` calls seed_demo --once: a shop that has products keeps what the admin changed."""
    monkeypatch.setenv("DEMO_ADMIN_EMAIL", ADMIN_EMAIL)
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", ADMIN_PASSWORD)
    variant = Variant.objects.order_by("id").first()
    variant.stock = 777
    variant.save()
    output, _ = _run("--once")
    variant.refresh_from_db()
    assert variant.stock == 777
    assert "already loaded" in output
    assert f"{ADMIN_EMAIL} / {ADMIN_PASSWORD}" in output
