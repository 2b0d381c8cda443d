"""Product reviews (CAT-4): only customers who bought and received the product write them, once; moderators
approve them in the admin; the cached product page shows the approved ones with the average rating."""

from datetime import timedelta

import html5lib
import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

import orders.selectors
from shop import hooks, reviews
from shop.models import Review
from shop.page_cache import bump_catalogue_version
from tests import factories as f

pytestmark = pytest.mark.django_db


def en(text: str, **values) -> str:
    with translation.override("en"):
        return gettext(text) % values if values else gettext(text)


@pytest.fixture
def deliveries(monkeypatch):
    """Who has received which product. The orders issue answers this from real orders; here a fixture does."""
    received: set[tuple[int, int]] = set()

    def has_received_product(*, user, product):
        return (user.pk, product.pk) in received

    monkeypatch.setattr(hooks, "has_received_product", has_received_product)  # shop asks through this hook

    def deliver(user, product):
        received.add((user.pk, product.pk))

    return deliver


@pytest.fixture
def kettle():
    return f.product(slug="kettle", name_ru="Чайник", name_en="Kettle")


@pytest.fixture
def make_user(django_user_model):
    def make(email, **extra):
        return django_user_model.objects.create_user(email=email, password="pw-123456", **extra)

    return make


@pytest.fixture
def buyer(make_user, kettle, deliveries):
    user = make_user("aigul@example.kz", first_name="Айгүл", last_name="Серікова")
    deliver = deliveries
    deliver(user, kettle)
    return user


def _prefix(lang):
    return "" if lang == "ru" else f"/{lang}"


def review_url(product, lang="en"):
    return f"{_prefix(lang)}/product/{product.slug}/review/"


def product_url(product, lang="en"):
    return f"{_prefix(lang)}/product/{product.slug}/"


def valid_html(response):
    html5lib.HTMLParser(strict=True).parse(response.content, transport_encoding="utf-8")
    return response.content.decode()


# --- who may review ----------------------------------------------------------------------------------------------


def _order_of(user, product):
    """A real order of `product` by `user`, placed through checkout (cash on delivery, courier)."""
    from orders.checkout.services import place_order

    cart = f.cart_with((product.variants.get(), 1), user=user)
    return place_order(cart=cart, data=f.checkout_data(f.delivery_setup(), email=user.email), user=user)


def _ship(order, staff):
    from orders.fulfilment import services as fulfilment

    fulfilment.confirm_order(order=order, actor=staff)
    fulfilment.set_status(order=order, target="assembling", actor=staff)
    fulfilment.mark_shipped(order=order, actor=staff, tracking_number="CDEK-1")


def test_cat4_a_delivered_order_allows_a_review_an_undelivered_one_does_not(make_user, kettle, client):
    # given: a real order, followed through the shop's own steps
    from orders.fulfilment import services as fulfilment

    user, staff = make_user("buyer@example.kz"), make_user("staff@example.kz", is_staff=True)
    order = _order_of(user, kettle)
    client.force_login(user)
    # then: placed, then shipped — bought but not received
    assert orders.selectors.has_received_product(user=user, product=kettle) is False
    assert client.get(review_url(kettle)).status_code == 403
    _ship(order, staff)
    assert orders.selectors.has_received_product(user=user, product=kettle) is False
    # when: delivered
    fulfilment.set_status(order=order, target="delivered", actor=staff)
    # then
    assert orders.selectors.has_received_product(user=user, product=kettle) is True
    assert reviews.can_review(user, kettle) is True
    assert client.get(review_url(kettle)).status_code == 200
    assert orders.selectors.has_received_product(user=user, product=f.product()) is False  # another product
    assert orders.selectors.has_received_product(user=staff, product=kettle) is False  # another customer
    fulfilment.set_status(order=order, target="completed", actor=staff)
    assert orders.selectors.has_received_product(user=user, product=kettle) is True


def test_cat4_an_order_refused_at_delivery_is_not_received(make_user, kettle):
    from orders.fulfilment import services as fulfilment

    user, staff = make_user("buyer@example.kz"), make_user("staff@example.kz", is_staff=True)
    order = _order_of(user, kettle)
    _ship(order, staff)
    fulfilment.set_status(order=order, target="refused", actor=staff)
    assert orders.selectors.has_received_product(user=user, product=kettle) is False


def test_cat4_received_is_answered_in_one_query(make_user, kettle, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    user = make_user("early@example.kz")
    with django_assert_num_queries(1):
        assert orders.selectors.has_received_product(user=user, product=kettle) is False
    with django_assert_num_queries(0):
        assert orders.selectors.has_received_product(user=AnonymousUser(), product=kettle) is False


def test_cat4_only_an_active_registered_customer_who_received_it_may_review(make_user, kettle, deliveries):
    from django.contrib.auth.models import AnonymousUser

    buyer, stranger, blocked = make_user("b@example.kz"), make_user("s@example.kz"), make_user("x@example.kz")
    deliveries(buyer, kettle)
    deliveries(blocked, kettle)
    blocked.is_active = False
    assert reviews.can_review(buyer, kettle) is True
    assert reviews.can_review(AnonymousUser(), kettle) is False
    assert reviews.can_review(stranger, kettle) is False  # never received it
    assert reviews.can_review(blocked, kettle) is False
    assert reviews.can_review(buyer, f.product()) is False  # received another product only
    Review.objects.create(product=kettle, user=buyer, rating=5, text="Отличный чайник, рекомендую")
    assert reviews.can_review(buyer, kettle) is False  # once
    assert reviews.review_refusal(buyer, kettle) == reviews.ALREADY_REVIEWED
    assert reviews.review_refusal(stranger, kettle) == reviews.NOT_A_BUYER


def test_cat4_review_page_needs_sign_in(client, kettle):
    response = client.get(review_url(kettle))
    assert response.status_code == 302
    assert "login" in response["Location"] and "next=" in response["Location"]
    assert client.post(review_url(kettle), {"rating": 5, "text": "Очень хороший чайник"}).status_code == 302
    assert Review.objects.count() == 0


def test_cat4_not_a_buyer_gets_an_explanation_not_a_form(client, make_user, kettle, deliveries):
    client.force_login(make_user("window-shopper@example.kz"))
    response = client.get(review_url(kettle))
    assert response.status_code == 403
    html = valid_html(response)
    assert en("Only customers who bought this product and have received it can review it.") in html
    assert 'name="rating"' not in html
    response = client.post(review_url(kettle), {"rating": 5, "text": "Я не покупал, но хвалю"})
    assert response.status_code == 403
    assert Review.objects.count() == 0


def test_cat4_unknown_or_hidden_product_is_404(client, buyer):
    client.force_login(buyer)
    hidden = f.product(is_active=False)
    assert client.get("/en/product/no-such-thing/review/").status_code == 404
    assert client.get(review_url(hidden)).status_code == 404


# --- writing a review --------------------------------------------------------------------------------------------


def test_cat4_buyer_writes_a_review_that_waits_for_moderation(client, buyer, kettle):
    client.force_login(buyer)
    page = client.get(review_url(kettle))
    assert page.status_code == 200
    html = valid_html(page)
    assert "<fieldset" in html and "<legend" in html and en("Your rating") in html
    assert html.count('type="radio" name="rating"') == 5

    response = client.post(review_url(kettle), {"rating": "4", "text": "  Быстро кипятит, но шумный.  "})
    assert response.status_code == 302 and response["Location"] == product_url(kettle)
    review = Review.objects.get()
    assert (review.user, review.product, review.rating) == (buyer, kettle, 4)
    assert review.text == "Быстро кипятит, но шумный."
    assert review.status == Review.Status.PENDING and review.language == "en"

    product_page = client.get(response["Location"]).content.decode()
    assert en("Thank you for your review! It will appear on the product page after moderation.") in product_page
    assert "Быстро кипятит" not in product_page  # not before a moderator approves it
    assert en("No reviews yet.") in product_page


def test_cat4_second_review_is_refused_with_a_message(client, buyer, kettle):
    client.force_login(buyer)
    client.post(review_url(kettle), {"rating": "5", "text": "Первый отзыв о чайнике"})
    for response in (
        client.get(review_url(kettle)),
        client.post(review_url(kettle), {"rating": "1", "text": "Второй отзыв о чайнике"}),
    ):
        assert response.status_code == 403
        assert en("You have already reviewed this product") in valid_html(response)
    assert Review.objects.get().text == "Первый отзыв о чайнике"


def test_cat4_database_allows_one_review_per_customer_and_product(buyer, kettle):
    Review.objects.create(product=kettle, user=buyer, rating=5, text="Первый отзыв о чайнике")
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(product=kettle, user=buyer, rating=1, text="Второй отзыв о чайнике")


def test_cat4_a_concurrent_second_review_is_refused_not_a_500(buyer, kettle, monkeypatch):
    Review.objects.create(product=kettle, user=buyer, rating=5, text="Сохранён параллельным запросом")
    monkeypatch.setattr(reviews, "review_refusal", lambda user, product: None)  # both requests passed the check
    with pytest.raises(reviews.ReviewNotAllowed) as refusal:
        reviews.submit_review(user=buyer, product=kettle, rating=2, text="Второй отзыв о чайнике", language="ru")
    assert refusal.value.reason == reviews.ALREADY_REVIEWED
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rating": "0"}, "rating", "Choose a rating from 1 to 5."),
        ({"rating": "6"}, "rating", "Choose a rating from 1 to 5."),
        ({"rating": "x"}, "rating", "Choose a rating from 1 to 5."),
        ({"rating": "-1"}, "rating", "Choose a rating from 1 to 5."),
        ({"rating": ""}, "rating", "Choose a rating from 1 to 5."),
        ({"text": "Коротко"}, "text", None),
        ({"text": "          "}, "text", None),
        ({"text": "Д" * 3001}, "text", None),
    ],
)
def test_cat4_bad_rating_or_text_is_explained_and_nothing_is_saved(client, buyer, kettle, data, field, message):
    client.force_login(buyer)
    response = client.post(review_url(kettle), {"rating": "4", "text": "Хороший чайник, рекомендую", **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = valid_html(response)
    assert 'role="alert"' in html
    if message:
        assert en(message) in html
    assert Review.objects.count() == 0


def test_cat4_missing_csrf_token_is_refused(buyer, kettle):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)
    response = strict.post(review_url(kettle), {"rating": "5", "text": "Хороший чайник, рекомендую"})
    assert response.status_code == 403
    assert Review.objects.count() == 0


def test_cat4_one_customer_cannot_change_anothers_review(client, buyer, kettle, make_user, deliveries):
    Review.objects.create(product=kettle, user=buyer, rating=5, text="Мой честный отзыв о чайнике")
    other = make_user("other@example.kz")
    deliveries(other, kettle)
    client.force_login(other)
    client.post(review_url(kettle), {"rating": "1", "text": "Попытка переписать чужой отзыв"})
    mine = Review.objects.get(user=buyer)
    assert (mine.rating, mine.text) == (5, "Мой честный отзыв о чайнике")
    assert Review.objects.get(user=other).rating == 1  # theirs is a separate review
    # a pending review is visible to nobody on the site, its author included
    assert "Мой честный отзыв" not in client.get(product_url(kettle)).content.decode()
    assert client.get("/en/admin/shop/review/").status_code == 302  # customers have no admin


# --- the product page ----------------------------------------------------------------------------------------------


def _approved(product, user, rating, text, days_ago=0):
    review = Review.objects.create(product=product, user=user, rating=rating, text=text, status="approved")
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return review


def test_cat4_product_page_shows_approved_reviews_newest_first_with_the_average(client, kettle, make_user):
    _approved(kettle, make_user("a@example.kz", first_name="Айгүл", last_name="Серікова"), 5, "Прекрасный", 3)
    _approved(kettle, make_user("b@example.kz", full_name="Болат Нурланов"), 4, "Хороший <b>чайник</b>", 1)
    _approved(kettle, make_user("c@example.kz"), 4, "Нормальный", 2)
    Review.objects.create(product=kettle, user=make_user("d@example.kz"), rating=1, text="Ждёт модерации")
    Review.objects.create(
        product=kettle, user=make_user("e@example.kz"), rating=1, text="Отклонён", status="rejected"
    )
    bump_catalogue_version()

    html = valid_html(client.get(product_url(kettle)))
    assert html.index("Хороший") < html.index("Нормальный") < html.index("Прекрасный")  # newest first
    assert "Ждёт модерации" not in html and "Отклонён" not in html
    assert "&lt;b&gt;чайник&lt;/b&gt;" in html  # customers' text is escaped
    # first names only; "Customer" when there is none; never a surname or an e-mail
    assert "Айгүл" in html and "Болат" in html and en("Customer") in html
    assert "Серікова" not in html and "Нурланов" not in html and "@example.kz" not in html
    # stars with a text alternative, and the average with the count
    assert f'aria-label="{en("%(rating)s of 5", rating=4)}"' in html
    assert f'aria-label="{en("%(rating)s of 5", rating=5)}"' in html
    assert en("Average rating: %(average)s of 5", average="4.3") in html
    assert "3 reviews" in html
    assert f'href="/en/product/{kettle.slug}/review/"' in html


def test_cat4_product_page_shows_at_most_the_configured_number_of_reviews(client, kettle, make_user, settings):
    settings.SHOP_PRODUCT_PAGE_REVIEWS = 3
    for n in range(5):
        _approved(kettle, make_user(f"u{n}@example.kz"), 5, f"Отзыв номер {n}", days_ago=n)
    bump_catalogue_version()
    html = client.get(product_url(kettle)).content.decode()
    assert html.count('class="review"') == 3
    assert "Отзыв номер 0" in html and "Отзыв номер 3" not in html
    assert "5 reviews" in html  # the count and average are over all approved reviews


def test_cat4_write_a_review_link_is_the_same_for_everyone(client, kettle, buyer):
    guest_html = client.get(product_url(kettle, "ru")).content.decode()
    client.force_login(buyer)
    buyer_html = client.get(product_url(kettle, "ru")).content.decode()
    link = f'href="/product/{kettle.slug}/review/"'
    assert link in guest_html and link in buyer_html


def test_cat4_product_page_uses_constant_queries_whatever_the_number_of_reviews(client, make_user):
    few, many = f.product(slug="few"), f.product(slug="many")
    _approved(few, make_user("one@example.kz", first_name="Один"), 5, "Единственный отзыв")
    for n in range(25):
        _approved(many, make_user(f"m{n}@example.kz", first_name=f"Имя{n}"), 1 + n % 5, f"Отзыв {n}")
    counts = {}
    for slug in ("few", "many"):
        bump_catalogue_version()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/product/{slug}/").status_code == 200
        counts[slug] = len(queries)
    assert counts["few"] == counts["many"]
    with CaptureQueriesContext(connection) as queries:
        client.get("/product/many/")
    assert len(queries) == 0  # served from the cache


# --- moderation in the admin ------------------------------------------------------------------------------------------


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser(email="moderator@example.kz", password="pw-123456")


def test_cat4_approving_in_the_admin_shows_the_review_on_the_cached_page_at_once(client, kettle, buyer, moderator):
    review = Review.objects.create(product=kettle, user=buyer, rating=5, text="Лучший чайник в моей жизни")
    visitor = Client()
    assert "Лучший чайник" not in visitor.get(product_url(kettle)).content.decode()  # now cached
    with CaptureQueriesContext(connection) as queries:
        visitor.get(product_url(kettle))
    assert len(queries) == 0  # really from the cache

    client.force_login(moderator)
    response = client.post(
        "/en/admin/shop/review/", {"action": "approve", "_selected_action": [review.pk]}, follow=True
    )
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.moderated_by == moderator and review.moderated_at is not None
    assert "Лучший чайник" in visitor.get(product_url(kettle)).content.decode()

    client.post("/en/admin/shop/review/", {"action": "reject", "_selected_action": [review.pk]})
    review.refresh_from_db()
    assert review.status == Review.Status.REJECTED
    assert "Лучший чайник" not in visitor.get(product_url(kettle)).content.decode()


def test_cat4_changing_the_status_on_the_review_form_records_the_moderator(client, kettle, buyer, moderator):
    review = Review.objects.create(product=kettle, user=buyer, rating=3, text="Средний чайник, без изысков")
    visitor = Client()
    visitor.get(product_url(kettle))
    client.force_login(moderator)
    url = f"/en/admin/shop/review/{review.pk}/change/"
    page = client.get(url)
    assert set(page.context["adminform"].form.fields) == {"status"}  # the customer's words are read-only
    response = client.post(url, {"status": "approved", "text": "Переписано модератором", "rating": 5})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved" and review.moderated_by == moderator
    assert (review.rating, review.text) == (3, "Средний чайник, без изысков")
    assert "Средний чайник" in visitor.get(product_url(kettle)).content.decode()


def test_cat4_moderation_list_filters_and_search(client, kettle, buyer, moderator, make_user):
    other = f.product(name_ru="Утюг", name_en="Iron")
    Review.objects.create(product=kettle, user=buyer, rating=5, text="Кипятит за минуту")
    Review.objects.create(
        product=other, user=make_user("bolat@example.kz"), rating=2, text="Гладит плохо", status="approved"
    )
    client.force_login(moderator)
    url = "/en/admin/shop/review/"
    for query, shown, hidden in [
        ("", "aigul@example.kz", None),
        ("?status__exact=pending", "aigul@example.kz", "bolat@example.kz"),
        ("?rating__exact=2", "bolat@example.kz", "aigul@example.kz"),
        ("?q=bolat@example.kz", "bolat@example.kz", "aigul@example.kz"),
        ("?q=Утюг", "bolat@example.kz", "aigul@example.kz"),
        ("?q=kettle", "aigul@example.kz", "bolat@example.kz"),
        ("?q=минуту", "aigul@example.kz", "bolat@example.kz"),
    ]:
        response = client.get(url + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert shown in html, query
        if hidden:
            assert hidden not in html, query
    assert client.get(url + "add/").status_code == 403
