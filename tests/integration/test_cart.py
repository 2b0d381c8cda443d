"""The cart (ORD-1): guests and customers, stock caps, merging on sign-in, scoping, bad input, cached pages."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orders.cart import services
from orders.models import Cart, CartLine
from tests import factories as f

pytestmark = pytest.mark.django_db

ADD = "/en/cart/add/"
CART = "/en/cart/"


def variant_of(product):
    return product.variants.get()


def header_count(html: str) -> int:
    return int(re.search(r'class="cart-count"[^>]*>(\d+)<', html).group(1))


SAME_ORIGIN = "http://testserver"


@pytest.fixture
def client():
    """A browser posting from our own pages sends its Origin (the add-to-cart check, config/origin.py)."""
    return Client(HTTP_ORIGIN=SAME_ORIGIN)


def lines_of(client) -> dict:
    cart = Cart.objects.get(session_key=client.session.session_key)
    return {line.variant_id: line.quantity for line in cart.lines.all()}


def test_ord1_guest_adds_and_the_cart_survives_requests(client):
    # given
    item = f.product(slug="kettle", name_en="White kettle", price="15000", sale_price="12000", stock=10)
    variant = variant_of(item)
    # when
    response = client.post(ADD, {"variant": variant.pk, "quantity": "2", "next": "/en/product/kettle/"})
    # then
    assert response.status_code == 302 and response["Location"] == "/en/product/kettle/"
    client.post(ADD, {"variant": variant.pk, "quantity": "1", "next": "/en/product/kettle/"})
    assert lines_of(client) == {variant.pk: 3}
    page = client.get(CART).content.decode()
    assert "White kettle" in page
    assert "36 000" in page.replace("\u202f", " ")  # 3 × the current (sale) price, not the regular one
    assert header_count(page) == 3
    assert header_count(client.get("/en/product/kettle/").content.decode()) == 3  # cached page, personal count


def test_ord1_price_shown_is_the_current_price_not_frozen(client):
    item = f.product(price="10000", stock=5)
    variant = variant_of(item)
    client.post(ADD, {"variant": variant.pk})
    variant.price = "20000"
    variant.save()
    assert "20 000" in client.get(CART).content.decode().replace("\u202f", " ")


def test_ord1_quantity_is_capped_at_the_stock_with_a_message(client):
    variant = variant_of(f.product(stock=3))
    response = client.post(ADD, {"variant": variant.pk, "quantity": "5", "next": CART}, follow=True)
    assert lines_of(client) == {variant.pk: 3}
    assert "Only 3 left, we put 3 in your cart." in response.content.decode()
    # adding more to a full line keeps it at the stock
    client.post(ADD, {"variant": variant.pk, "quantity": "1"})
    assert lines_of(client) == {variant.pk: 3}


def test_ord1_out_of_stock_is_refused_with_a_message(client):
    variant = variant_of(f.product(stock=0))
    response = client.post(ADD, {"variant": variant.pk, "next": CART}, follow=True)
    assert "out of stock" in response.content.decode()
    assert not CartLine.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"variant": "abc"},
        {"variant": "999999"},
        {"variant": ""},
        {"quantity": "0"},
        {"quantity": "-1"},
        {"quantity": "abc"},
        {"quantity": "1000"},
        {"quantity": "1.5"},
        {"quantity": "9" * 40},
        {"inactive": True},
        {"next": "https://evil.example.com/"},
    ],
)
def test_ord1_bad_input_gets_a_message_never_a_500(client, data):
    item = f.product(stock=5)
    hidden = f.product(stock=5, is_active=False)
    post = {"variant": variant_of(hidden if data.pop("inactive", False) else item).pk, "quantity": "1"}
    post.update(data)
    response = client.post(ADD, post)
    assert response.status_code == 302
    assert not response["Location"].startswith("http")  # never off-site
    if "next" not in data:
        assert not CartLine.objects.exists()
        page = client.get(response["Location"]).content.decode()
        assert 'class="message error"' in page


def test_ord1_change_quantity_and_remove_a_line(client):
    variant = variant_of(f.product(stock=4))
    client.post(ADD, {"variant": variant.pk})
    line = CartLine.objects.get()
    assert client.post(f"/en/cart/line/{line.pk}/", {"quantity": "2"}).status_code == 302
    assert lines_of(client) == {variant.pk: 2}
    response = client.post(f"/en/cart/line/{line.pk}/", {"quantity": "9"}, follow=True)
    assert lines_of(client) == {variant.pk: 4}
    assert "Only 4 left, we put 4 in your cart." in response.content.decode()
    for bad in ("0", "-3", "x", "1000", ""):
        assert client.post(f"/en/cart/line/{line.pk}/", {"quantity": bad}).status_code == 302
    assert lines_of(client) == {variant.pk: 4}
    assert client.post(f"/en/cart/line/{line.pk}/remove/").status_code == 302
    assert not CartLine.objects.exists()
    page = client.get(CART).content.decode()
    assert header_count(page) == 0
    assert 'href="/en/catalog/"' in page  # the empty cart leads to the catalogue


def test_ord1_another_visitors_line_is_404(client):
    variant = variant_of(f.product(stock=4))
    client.post(ADD, {"variant": variant.pk})
    line = CartLine.objects.get()
    stranger = Client(HTTP_ORIGIN=SAME_ORIGIN)
    stranger.post(ADD, {"variant": variant.pk})  # has a cart of their own
    assert stranger.post(f"/en/cart/line/{line.pk}/", {"quantity": "3"}).status_code == 404
    assert stranger.post(f"/en/cart/line/{line.pk}/remove/").status_code == 404
    assert Client().post(f"/en/cart/line/{line.pk}/remove/").status_code == 404  # no session at all
    assert CartLine.objects.get(pk=line.pk).quantity == 1


def test_ord1_cart_posts_from_another_site_are_refused():
    """Adding is checked by origin (it sits on shared cached pages); the cart page's own forms by CSRF token."""
    variant = variant_of(f.product(stock=4))
    assert Client(enforce_csrf_checks=True).post(ADD, {"variant": variant.pk}).status_code == 403
    forged = Client(enforce_csrf_checks=True, HTTP_ORIGIN="https://evil.example")
    assert forged.post(ADD, {"variant": variant.pk}).status_code == 403
    same_site = Client(enforce_csrf_checks=True, HTTP_ORIGIN=SAME_ORIGIN)
    assert same_site.post("/en/cart/line/1/remove/").status_code == 403  # no token
    assert not CartLine.objects.exists()


def test_ord1_get_is_not_allowed_on_cart_actions(client):
    assert client.get(ADD).status_code == 405


def test_ord1_guest_cart_merges_into_the_customers_cart_on_sign_in(client, django_user_model):
    # given: the customer's stored cart holds 2 of A; as a guest they add 4 of A (5 in stock) and 1 of B
    a, b = variant_of(f.product(stock=5)), variant_of(f.product(stock=7))
    customer = django_user_model.objects.create_user(email="aigerim@example.kz", password="x" * 12)
    stored = Cart.objects.create(user=customer)
    CartLine.objects.create(cart=stored, variant=a, quantity=2)
    client.post(ADD, {"variant": a.pk, "quantity": "4"})
    client.post(ADD, {"variant": b.pk, "quantity": "1"})
    guest_cart = Cart.objects.get(user=None)
    # when
    client.force_login(customer)
    # then: quantities add up, capped at the stock; the guest cart is gone
    assert {line.variant_id: line.quantity for line in stored.lines.all()} == {a.pk: 5, b.pk: 1}
    assert not Cart.objects.filter(pk=guest_cart.pk).exists()
    assert header_count(client.get(CART).content.decode()) == 6
    # and the stored cart outlives the session
    client.logout()
    assert header_count(client.get(CART).content.decode()) == 0
    client.force_login(customer)
    assert header_count(client.get(CART).content.decode()) == 6


def test_ord1_a_signed_in_customer_adds_to_the_stored_cart(client, django_user_model):
    variant = variant_of(f.product(stock=5))
    customer = django_user_model.objects.create_user(email="dana@example.kz", password="x" * 12)
    client.force_login(customer)
    client.post(ADD, {"variant": variant.pk, "quantity": "2"})
    assert Cart.objects.get(user=customer).lines.get().quantity == 2


def test_ord1_merge_carts_service_caps_and_drops_sold_out():
    a, gone = variant_of(f.product(stock=3)), variant_of(f.product(stock=2))
    guest, into = Cart.objects.create(session_key="s" * 32), Cart.objects.create()
    CartLine.objects.create(cart=guest, variant=a, quantity=2)
    CartLine.objects.create(cart=guest, variant=gone, quantity=1)
    CartLine.objects.create(cart=into, variant=a, quantity=2)
    type(gone).objects.filter(pk=gone.pk).update(stock=0)
    services.merge_carts(from_cart=guest, into_cart=into)
    assert {line.variant_id: line.quantity for line in into.lines.all()} == {a.pk: 3}


@pytest.mark.parametrize("kind", ["product", "category"])
def test_ord1_cached_pages_cost_no_query_and_mint_no_csrf_token(kind, django_assert_max_num_queries):
    # given: a product page and a category page with "Add to cart"
    shelf = f.category(slug="shelf")
    item = f.product(category_=shelf, slug="teapot", stock=5, image=True)
    path = "/en/product/teapot/" if kind == "product" else "/en/catalog/shelf/"
    first = Client(enforce_csrf_checks=True, HTTP_ORIGIN=SAME_ORIGIN)
    second = Client(enforce_csrf_checks=True, HTTP_ORIGIN=SAME_ORIGIN)
    # when: the first visitor fills the cache, the second is served from it
    first_html = first.get(path).content.decode()
    with django_assert_max_num_queries(0):
        second_html = second.get(path).content.decode()
    # then: the same page, no token minted (the add form is checked by origin), and both can add
    assert first_html == second_html
    assert f'name="variant" value="{variant_of(item).pk}"' in second_html
    assert f'name="next" value="{path}"' in second_html
    assert "csrftoken" not in first.cookies and "csrftoken" not in second.cookies
    for visitor in (first, second):
        response = visitor.post(ADD, {"variant": variant_of(item).pk, "next": path})
        assert response.status_code == 302 and response["Location"] == path
    assert CartLine.objects.count() == 2
    with django_assert_max_num_queries(0):  # still cached for a visitor without a session
        Client().get(path)


def test_ord1_card_offers_the_cheapest_in_stock_variant(client):
    from shop.models import Variant

    item = f.product(price="5000", stock=0, slug="mug")
    cheap_in_stock = Variant.objects.create(product=item, sku="MUG-2", price="7000", stock=2)
    Variant.objects.create(product=item, sku="MUG-3", price="9000", stock=2)
    html = client.get(f"/en/catalog/{item.category.slug}/").content.decode()
    assert f'name="variant" value="{cheap_in_stock.pk}"' in html
    sold_out = f.product(category_=item.category, stock=0)
    assert f'name="variant" value="{variant_of(sold_out).pk}"' not in html


def test_ord1_product_page_has_a_form_per_in_stock_variant(client):
    from shop.models import Variant

    item = f.product(slug="shirt", stock=3)
    Variant.objects.create(product=item, sku="SH-L", name_en="L", price="7000", stock=0)
    Variant.objects.create(product=item, sku="SH-XL", name_en="XL", price="7000", stock=1)
    html = client.get("/en/product/shirt/").content.decode()
    assert html.count('action="/en/cart/add/"') == 2
    assert html.count('<label for="quantity-') == 2


def test_ord1_cart_page_uses_constant_queries(client, django_assert_max_num_queries):
    products = [f.product(stock=5, image=True) for _ in range(20)]
    client.post(ADD, {"variant": variant_of(products[0]).pk})
    with CaptureQueriesContext(connection) as one:
        assert client.get(CART).status_code == 200
    for item in products[1:]:
        client.post(ADD, {"variant": variant_of(item).pk, "quantity": "2"})
    with CaptureQueriesContext(connection) as twenty:
        html = client.get(CART).content.decode()
    assert len(one) == len(twenty)
    assert html.count('class="cart-line"') == 20
    assert header_count(html) == 39
    with django_assert_max_num_queries(len(one)):
        client.get(CART)


def test_ord1_cart_page_with_lines_is_valid_html5(client):
    import html5lib

    client.post(ADD, {"variant": variant_of(f.product(stock=5, image=True, name_en="Tea <b>&")).pk})
    html5lib.HTMLParser(strict=True).parse(client.get(CART).content, transport_encoding="utf-8")
