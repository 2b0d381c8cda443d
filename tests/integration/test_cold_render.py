"""Cold pages (issue 15, item 3; CAT-3): product cards cached by their own data, and a page rendered from the
database is the same HTML as the cached one."""

import uuid

import pytest
from django.utils import translation

from shop import cards, selectors
from shop.models import Category, Page, Product, Variant
from shop.page_cache import bump_catalogue_version
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettles():
    category = f.category(slug="kettles", name_ru="Чайники")
    items = [f.product(category_=category, name_ru=f"Чайник {n}", brand="Arman", stock=10) for n in range(5)]
    f.product(category_=category, name_ru="Чайник со скидкой", price="20000", sale_price="15000")
    return items


@pytest.mark.parametrize(
    "url", ["/catalog/kettles/", "/catalog/kettles/?sort=price_desc&in_stock=on", "/search/?q=чайник", "/"]
)
def test_cold_and_warm_pages_render_the_same_html(client, settings, kettles, url, monkeypatch):
    settings.SHOP_PAGE_CACHE = False
    fresh = uuid.uuid4().hex
    monkeypatch.setattr(cards, "_template_digest", lambda: fresh)  # no card cached yet either
    cold = client.get(url).content.decode()
    again = client.get(url).content.decode()  # the cards from their cache
    settings.SHOP_PAGE_CACHE = True
    bump_catalogue_version()
    client.get(url)
    warm = client.get(url).content.decode()  # the page from the page cache
    assert cold == again == warm
    assert cold.count('class="card"') >= 5 or url == "/"


def test_a_stock_change_re_renders_only_that_card(client, kettles, monkeypatch):
    client.get("/catalog/kettles/")
    rendered = []
    original = cards.get_template

    def counting(name):
        template = original(name)
        render = template.render

        def render_counted(context=None, request=None):
            rendered.append(context["p"].pk)
            return render(context, request)

        template.render = render_counted
        return template

    monkeypatch.setattr(cards, "get_template", counting)
    Variant.objects.filter(product=kettles[2]).update(stock=0)
    bump_catalogue_version()  # what the stock services do
    html = client.get("/catalog/kettles/").content.decode()
    assert rendered == [kettles[2].pk]
    card = html[html.index("Чайник 2") :]
    assert card.index('class="stock out"') < card.index("</li>")


def test_each_card_comes_back_to_the_page_it_is_on(client, kettles):
    html = client.get("/catalog/kettles/?sort=name").content.decode()
    cards_html = html[html.index('<ul class="grid">') :]
    assert cards_html.count('name="next" value="/catalog/kettles/?sort=name"') == 6
    html = client.get("/search/?q=чайник").content.decode()
    assert 'name="next" value="/search/?q=%D1%87%D0%B0%D0%B9%D0%BD%D0%B8%D0%BA"' in html


def test_cat3_header_and_footer_follow_catalogue_changes_with_the_page_cache_off(client, settings, kettles):
    """Issue 15: the header's categories and the footer are kept in each process by what they show
    ({% shared_fragment %}), so a renamed category or a new information page shows on the very next render."""
    settings.SHOP_PAGE_CACHE = False

    def nav_and_footer(url="/catalog/kettles/"):
        html = client.get(url).content.decode()
        nav = html[html.index('class="wrap category-nav"') :]
        return nav[: nav.index("</nav>")], html[html.index('<footer class="site-footer">') :]

    nav, footer = nav_and_footer()
    assert "Чайники" in nav and "/pages/delivery/" not in footer
    category = Category.objects.get(slug="kettles")
    category.name_ru, category.name_en = "Электрочайники", "Electric kettles"
    category.save()
    Page.objects.create(slug="delivery", title_ru="Доставка", body_ru="Курьер.", title_en="Delivery", body_en="By car.")
    nav, footer = nav_and_footer()
    assert "Электрочайники" in nav and "Чайники<" not in nav
    assert '<a href="/pages/delivery/">Доставка</a>' in footer
    nav, footer = nav_and_footer("/en/catalog/kettles/")  # each language its own
    assert "Electric kettles" in nav and '<a href="/en/pages/delivery/">Delivery</a>' in footer


def test_cat3_a_listing_past_its_last_page_shows_the_last_page(client, kettles):
    """The page's ids and the count come in one query; a page past the end is still the last page, counted."""
    html = client.get("/catalog/kettles/?page=7").content.decode()
    assert html.count('class="card"') == 6
    assert '<p class="result-count">6 товаров</p>' in html


def test_cat3_cards_read_by_their_compiled_query_are_the_orm_cards(kettles):
    """Issue 15: a listing's cards come from product_cards()'s SQL compiled once and run with the page's ids; every
    annotation arrives as the ORM gives it (prices as Decimal, the pictures' renditions as a list, not JSON text)."""
    pictured = f.product(category_=kettles[0].category, name_ru="Чайник с фото", image=True)
    ids = [pictured.pk, *(p.pk for p in kettles)]
    names = list(selectors.product_cards().query.annotations)
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            fast = selectors._cards_in_order(ids)
            orm = {p.pk: p for p in selectors.product_cards(Product.objects.filter(pk__in=ids))}
            assert [card.pk for card in fast] == ids
            for card in fast:
                for name in [*cards.CARD_FIELDS, *names]:
                    expected = getattr(orm[card.pk], name)
                    assert getattr(card, name) == expected and type(getattr(card, name)) is type(expected), name
    assert isinstance(fast[0].thumb_renditions, list) and fast[0].thumb


def test_cat3_the_header_kept_in_the_process_shows_each_pages_own_search_words(client, settings, kettles):
    """Issue 15: the header up to the language links is a shared fragment decided by the search box's value, so a
    search's words never show in another page's search box."""
    settings.SHOP_PAGE_CACHE = False
    searched = client.get("/search/?q=чайник").content.decode()
    assert 'name="q" maxlength="100" value="чайник"' in searched
    other = client.get("/catalog/kettles/").content.decode()
    assert 'name="q" maxlength="100" value=""' in other
    english = client.get("/en/catalog/kettles/").content.decode()
    assert 'placeholder="Search products"' in english and 'href="/en/catalog/"' in english
