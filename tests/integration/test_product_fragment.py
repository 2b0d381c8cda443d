"""The product page's body cached by the product's own data (issue 15, item 3; CAT-3, CAT-4): the same HTML from
the fragment cache as rendered afresh, and re-rendered by any change that shows on the page — stock (also changed
by queryset.update(), which sends no signal), price, an approved review, an image, the category's name."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from base.money import format_money
from shop import product_fragment, views
from shop.models import Category, ProductImage, Review, Variant
from shop.reviews import moderate_reviews
from tests import factories as f

# The body is cached on PostgreSQL only (its digest query is PostgreSQL SQL); on SQLite it is rendered every time.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def money(amount: str) -> str:
    return format_money(Decimal(amount))


LANGUAGES = {"ru": "", "kk": "/kk", "en": "/en"}


@pytest.fixture(autouse=True)
def _cold_pages(settings, monkeypatch):
    """The page cache off (the cold path this cache is for) and no fragment left from another test or run."""
    settings.SHOP_PAGE_CACHE = False
    fresh = uuid.uuid4().hex
    monkeypatch.setattr(product_fragment, "_template_digest", lambda: fresh)
    product_fragment.local_products.clear()


@pytest.fixture
def kettle(django_user_model):
    category = f.category(slug="kettles", name_ru="Чайники", name_kk="Шәйнектер", name_en="Kettles")
    item = f.product(category_=category, slug="arman-kettle", name_ru="Чайник Арман", brand="Arman", stock=3,
                     image=True, description_ru="Стальной.\n\nДва литра.")  # fmt: skip
    Variant.objects.create(product=item, sku="ARM-2", name_ru="Белый", price=Decimal("12000"), stock=0, position=2)
    user = django_user_model.objects.create_user(email="aigul@example.kz", password="pw-123456", first_name="Айгүл")
    Review.objects.create(product=item, user=user, rating=4, text="Хороший", status=Review.Status.APPROVED)
    return item


@pytest.fixture
def renders(monkeypatch):
    """The product bodies rendered (by product id) from now on."""
    rendered = []
    original = views._fragment

    def counting(template, context):
        if template == "shop/_product.html":
            rendered.append(context["product"].pk)
        return original(template, context)

    monkeypatch.setattr(views, "_fragment", counting)
    return rendered


def page(client, language="ru", slug="arman-kettle"):
    response = client.get(f"{LANGUAGES[language]}/product/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_cat3_product_page_is_the_same_html_from_the_fragment_cache_rendered_and_uncached(
    client, settings, kettle, renders, language
):
    cold = page(client, language)  # rendered and cached
    warm = page(client, language)  # from this process's memory
    product_fragment.local_products.clear()
    shared = page(client, language)  # from the shared cache
    assert renders == [kettle.pk]
    settings.SHOP_PRODUCT_FRAGMENT_CACHE = False
    uncached = page(client, language)
    assert renders == [kettle.pk, kettle.pk]
    settings.SHOP_PAGE_CACHE = True
    page(client, language)
    whole = page(client, language)  # the whole page from the page cache
    assert cold == warm == shared == uncached == whole
    assert "Arman" in cold and 'class="review"' in cold and "ARM-2" in cold


def test_cat3_the_cached_body_holds_nothing_personal(client, kettle, renders):
    """The cart count and the account link are filled in per visitor around a body rendered once for all."""
    page(client)
    shopper = client.__class__(HTTP_ORIGIN="http://testserver")  # the add-to-cart origin check
    variant = Variant.objects.get(product=kettle, stock__gt=0)
    shopper.post("/cart/add/", {"variant": variant.pk, "quantity": 2, "next": "/product/arman-kettle/"})
    html = page(shopper)
    assert renders == [kettle.pk]  # the body from the cache
    assert '<span class="cart-count" aria-hidden="true">2</span>' in html
    assert '<span class="cart-count" aria-hidden="true">0</span>' in page(client)
    assert "__csrf_token_placeholder__" not in html


def test_cat3_a_stock_change_without_a_signal_re_renders_the_body(client, kettle, renders):
    assert '<span class="stock low">Осталось 3</span>' in page(client)
    Variant.objects.filter(product=kettle).update(stock=0)  # no signal, no version bump
    html = page(client)
    assert renders == [kettle.pk, kettle.pk]
    assert 'class="stock out notice"' in html and 'class="add-to-cart"' not in html


def test_cat3_a_price_change_re_renders_the_body(client, kettle, renders):
    assert money("9900") not in page(client)
    variant = Variant.objects.get(sku="ARM-2")
    variant.price = Decimal("9900")
    variant.save()
    html = page(client)
    assert renders == [kettle.pk, kettle.pk]
    assert f'<strong class="price-now">{money("9900")}</strong>' in html and money("12000") not in html


def test_cat4_a_newly_approved_review_re_renders_the_body(client, kettle, renders, django_user_model, admin_user):
    page(client)
    buyer = django_user_model.objects.create_user(email="bolat@example.kz", password="pw-123456", first_name="Болат")
    review = Review.objects.create(product=kettle, user=buyer, rating=2, text="Протекает")
    assert "Протекает" not in page(client)  # awaiting moderation: the same body, from the cache
    assert renders == [kettle.pk]
    moderate_reviews(Review.objects.filter(pk=review.pk), status=Review.Status.APPROVED, moderator=admin_user)
    html = page(client)
    assert renders == [kettle.pk, kettle.pk]
    assert "Протекает" in html and "Болат" in html


def test_cat4_a_reviewers_new_first_name_re_renders_the_body(client, kettle, renders):
    page(client)
    review = Review.objects.get(product=kettle)
    type(review.user).objects.filter(pk=review.user_id).update(first_name="Айгерім")
    html = page(client)
    assert "Айгерім" in html and renders == [kettle.pk, kettle.pk]


def test_cat3_a_changed_or_new_image_re_renders_the_body(client, kettle, renders):
    page(client)
    image = ProductImage.objects.get(product=kettle)
    image.alt_ru = "Чайник сбоку"
    image.save()
    assert 'alt="Чайник сбоку"' in page(client)
    picture = ProductImage(product=kettle, alt_ru="Чайник сверху", position=5)
    picture.image.save("top.png", ContentFile(f.png_bytes()), save=False)
    picture.save()
    assert 'alt="Чайник сверху"' in page(client)
    assert renders == [kettle.pk] * 3


def test_cat3_a_renamed_category_re_renders_the_breadcrumbs(client, kettle, renders):
    page(client)
    category = Category.objects.get(slug="kettles")
    category.name_ru = "Электрочайники"
    category.save()
    assert ">Электрочайники</a>" in page(client)
    assert renders == [kettle.pk, kettle.pk]


def test_cat3_an_unrelated_change_keeps_the_body(client, kettle, renders):
    other = f.product(category_=kettle.category, stock=1)
    page(client)
    Variant.objects.filter(product=other).update(stock=0)
    Review.objects.filter(product=kettle).update(created_at=timezone.now() - timedelta(days=1))
    page(client)  # the review's date changed: shown, so re-rendered
    page(client)
    assert renders == [kettle.pk, kettle.pk]


def test_cat3_a_withdrawn_product_is_not_served_from_the_fragment_cache(client, kettle):
    page(client)
    kettle.is_active = False
    kettle.save()
    assert client.get("/product/arman-kettle/").status_code == 404
    assert client.get("/product/no-such-thing/").status_code == 404
    Category.objects.filter(pk=kettle.category_id).update(is_active=False)
    kettle.is_active = True
    kettle.save()
    assert client.get("/product/arman-kettle/").status_code == 404


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_cat3_product_page_queries_stay_few_with_the_body_cached_or_not(
    client, kettle, django_assert_max_num_queries, language, monkeypatch
):
    """With the body cached, one query reads what the page shows (its digest); rendered, four more read it."""
    page(client, language)  # the chrome (category tree, footer) kept in the process
    product_fragment.local_products.clear()
    monkeypatch.setattr(product_fragment, "_template_digest", lambda: uuid.uuid4().hex)  # never cached
    with django_assert_max_num_queries(5):
        page(client, language)
    monkeypatch.setattr(product_fragment, "_template_digest", lambda: "fixed")
    page(client, language)
    with django_assert_max_num_queries(1):
        page(client, language)


def test_cat3_product_page_queries_do_not_grow_with_its_variants_images_and_reviews(
    client, kettle, django_assert_max_num_queries, django_user_model, monkeypatch
):
    """Issue 15, item 5: a fixed number of queries however many rows the page shows; none for reviews when the
    product has none (their count comes with the digest)."""
    bare = f.product(category_=kettle.category, slug="bare-kettle")
    page(client, slug="bare-kettle")
    monkeypatch.setattr(product_fragment, "_template_digest", lambda: uuid.uuid4().hex)  # never cached
    with django_assert_max_num_queries(4):  # digest, product, variants, images
        page(client, slug="bare-kettle")
    for n in range(10):
        Variant.objects.create(product=bare, sku=f"BARE-{n}", price=Decimal("5000"), stock=n, position=n)
        user = django_user_model.objects.create_user(email=f"r{n}@example.kz", password="pw-123456")
        Review.objects.create(product=bare, user=user, rating=1 + n % 5, text=f"Отзыв {n}", status="approved")
    for n in range(3):
        picture = ProductImage(product=bare, alt_ru=f"Фото {n}", position=n)
        picture.image.save(f"bare{n}.png", ContentFile(f.png_bytes()), save=False)
        picture.save()
    page(client, slug="bare-kettle")  # the chrome (category tree, footer) again: the catalogue changed
    with django_assert_max_num_queries(5):  # and the reviews shown
        html = page(client, slug="bare-kettle")
    assert "BARE-9" in html and "Отзыв 9" in html and 'alt="Фото 2"' in html
    monkeypatch.setattr(product_fragment, "_template_digest", lambda: "fixed")
    page(client, slug="bare-kettle")
    with django_assert_max_num_queries(1):
        page(client, slug="bare-kettle")
