"""Catalogue reads for views and admin: a constant number of queries whatever the page size."""

import dataclasses
import hashlib
from dataclasses import dataclass
from functools import cache as memoise

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page as ListingPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from . import search
from .catalogue_version import catalogue_version
from .models import Category, Page, Product, ProductImage, SellerDetails, Variant

SORTS = {
    "popular": ("-has_stock", "-created_at", "id"),
    # CAT-5: an exact SKU or brand first, then goods in stock, then name hits above description hits
    "relevance": ("-search_exact", "-has_stock", "-search_rank", "id"),
    "new": ("-created_at", "id"),
    "price_asc": ("price_now", "id"),
    "price_desc": ("-price_now", "id"),
    "name": ("name", "id"),
}


@dataclass(frozen=True)
class CategoryNode:
    id: int
    parent_id: int | None
    slug: str
    names: dict[str, str]
    position: int
    descriptions: dict[str, str] = dataclasses.field(default_factory=dict)

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("ru") or self.slug

    def description(self, language: str) -> str:
        return self.descriptions.get(language) or self.descriptions.get("ru") or ""


_kept: dict[str, tuple[int, object]] = {}


def _per_version(name: str, read):
    """`read()` (which goes to the shared cache, then the database) once per catalogue version in this process:
    the version is followed in memory (shop/catalogue_version.py), so the pages' chrome costs no round trip
    (issue 15). What it returns is shared: callers must not change it."""
    version = catalogue_version()
    kept = _kept.get(name)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = read()
    _kept[name] = (version, value)
    return value


def category_tree() -> list[CategoryNode]:
    """Every active category (one query, then cached per catalogue version)."""
    return _per_version("tree", _category_tree)


def _category_tree() -> list[CategoryNode]:
    key = f"catalogue:{catalogue_version()}:tree"
    nodes = cache.get(key)
    if nodes is None:
        rows = Category.objects.filter(is_active=True).values(
            "id", "parent_id", "slug", "position", "name_ru", "name_kk", "name_en",
            "description_ru", "description_kk", "description_en",
        )
        nodes = [
            CategoryNode(
                id=r["id"],
                parent_id=r["parent_id"],
                slug=r["slug"],
                position=r["position"],
                names={"ru": r["name_ru"], "kk": r["name_kk"], "en": r["name_en"]},
                descriptions={"ru": r["description_ru"], "kk": r["description_kk"], "en": r["description_en"]},
            )
            for r in rows
        ]
        cache.set(key, nodes, timeout=None)
    return nodes


def descendant_ids(category_id: int, nodes: list[CategoryNode]) -> list[int]:
    """The category and all its active descendants (so a parent page lists its subcategories' products)."""
    children: dict[int | None, list[int]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node.id)
    result, stack = [], [category_id]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(children.get(current, []))
    return result


def ancestors(category_id: int, nodes: list[CategoryNode]) -> list[CategoryNode]:
    """Breadcrumb path from the root to the category itself."""
    by_id = {n.id: n for n in nodes}
    path, current = [], by_id.get(category_id)
    while current is not None and len(path) < 50:
        path.append(current)
        current = by_id.get(current.parent_id)
    return list(reversed(path))


def product_cards(queryset: QuerySet | None = None) -> QuerySet:
    """Products annotated with what a card shows — current and regular price of the cheapest variant, whether any
    is in stock, first thumbnail, the cheapest in-stock variant for "Add to cart" — so a list page needs one query
    for its rows however many there are. (Issue 15: without the search document, and without a total stock that
    nothing showed.)"""
    queryset = Product.objects.filter(is_active=True) if queryset is None else queryset
    cheapest = (
        Variant.objects.filter(product=OuterRef("pk"))
        .annotate(now=Coalesce("sale_price", "price"))
        .order_by("now", "id")
    )
    first_image = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    # The card's "Add to cart" puts in the cheapest variant that can be sold now (ORD-1).
    cheapest_in_stock = (
        Variant.objects.filter(product=OuterRef("pk"), stock__gt=0)
        .annotate(now=Coalesce("sale_price", "price"))
        .order_by("now", "id")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    return queryset.annotate(
        price_now=Subquery(cheapest.values("now")[:1], output_field=money),
        price_regular=Subquery(cheapest.values("price")[:1], output_field=money),
        has_stock=F("in_stock"),
        thumb=Subquery(first_image.values("thumbnail")[:1]),
        thumb_renditions=Subquery(first_image.values("renditions")[:1]),
        cart_variant_id=Subquery(cheapest_in_stock.values("id")[:1], output_field=IntegerField()),
    ).defer("description_ru", "description_kk", "description_en", "description", "search_document")


MAX_OFFSET = 2**31  # a page number so far past any catalogue's end is left to Paginator (no such OFFSET in SQL)


def listing_page(products, number, per_page: int, key: tuple | None = None) -> ListingPage:
    """Page `number` of a sorted listing (as Paginator.get_page reads it), its object_list the products' cards.
    The page's ids and the listing's count come in one query, the count beside the ids (issue 15), except
    for a DISTINCT listing (the count would count joined rows) or a page past the end: then as Paginator does it,
    a COUNT first and the ids of the page it gives. `products`: the listing's queryset, or a function that makes
    it; `key`: all that decides it (categories, sort, filters), so that its SQL is compiled once per process and
    the queryset is not even built again (issue 15: building and compiling it cost more than running it)."""
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    start = (wanted - 1) * per_page
    if start < MAX_OFFSET:
        found = _page_cards(products, start, per_page, key)
        if found:
            cards, total = found
            paginator = Paginator((), per_page)
            paginator.count = total  # (a cached_property: no COUNT query)
            page = paginator.page(wanted)
            page.object_list = cards
            return page
    paginator = Paginator(_queryset(products), per_page)
    page = paginator.get_page(number)
    page.object_list = cards_of_page(page)
    return page


def _queryset(products) -> QuerySet:
    return products() if callable(products) else products


_listing_sql: dict[tuple, tuple[str, tuple] | None] = {}
LISTING_SQL_KEPT = 1000  # listings (category, sort, filters, language) whose SQL a process keeps compiled


def _page_cards(products, start: int, per_page: int, key: tuple | None) -> tuple[list, int] | None:
    """The page's cards and the listing's count; None for a DISTINCT listing or a page past the end. With a
    `key`, on PostgreSQL, the listing's SQL is compiled once per process and key, and the page's ids, the count
    and the cards come in one statement."""
    keep = key is not None and connection.vendor == "postgresql"
    if keep:
        key = (get_language(), *key)
        if key in _listing_sql:
            compiled = _listing_sql[key]
            return None if compiled is None else _listed_cards(*compiled, start, per_page)
    queryset = _queryset(products)
    counted = None
    if not queryset.query.distinct:
        # The count as a scalar subquery beside the ids: PostgreSQL counts the index entries once (an InitPlan)
        # and reads only the page's rows in the listing's order, where COUNT(*) OVER () kept every matching row
        # before the first could be returned (0.7 → 0.3 ms for a 2 000-product category).
        total = queryset.order_by().annotate(listing_n=Func(F("pk"), function="COUNT")).values("listing_n")
        counted = queryset.annotate(listing_total=Subquery(total, output_field=IntegerField())).values_list(
            "pk", "listing_total"
        )
    if not keep:
        rows = [] if counted is None else list(counted[start : start + per_page])
        return (_cards_in_order([pk for pk, _total in rows]), rows[0][1]) if rows else None
    compiled = None if counted is None else counted.query.sql_with_params()
    if len(_listing_sql) >= LISTING_SQL_KEPT:
        _listing_sql.clear()
    _listing_sql[key] = compiled
    return None if compiled is None else _listed_cards(*compiled, start, per_page)


def _listed_cards(sql: str, params: tuple, start: int, per_page: int) -> tuple[list, int] | None:
    """One statement: the listing's page (its ids in order and the count), then the cards of those ids (issue 15:
    a round trip and a plan fewer per cold listing page)."""
    language = get_language()
    cards_sql, cards_params, converters = _listed_cards_sql(language)
    # Only SQL the ORM compiled (with placeholders) goes into the text; every value is a parameter.
    statement = (
        "WITH listing_page AS MATERIALIZED ("  # noqa: S608
        '  SELECT "pk", "listing_total", row_number() OVER () AS "listing_n"'
        f"  FROM ({sql} LIMIT %s OFFSET %s) AS listed"
        ') SELECT cards.*, listing_page."listing_total"'
        f" FROM ({cards_sql}) AS cards"
        ' JOIN listing_page ON listing_page."pk" = cards."id" ORDER BY listing_page."listing_n"'
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, per_page, start, *cards_params))
        columns = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    if not rows:
        return None
    total = rows[0][columns.index("listing_total")]
    return [_card(dict(zip(columns, row, strict=True)), language, converters) for row in rows], total


@memoise
def _listed_cards_sql(language: str | None) -> tuple[str, tuple, list]:
    """The cards query of the ids in `listing_page` (shop.selectors._listed_cards), and its converters."""
    query = _all_cards(language).filter(pk__in=RawSQL('SELECT "pk" FROM listing_page', ())).query
    sql, params = query.sql_with_params()
    return sql, params, _converters(query)


def cards_of_page(page) -> list:
    """The cards of one page of a sorted listing, read in two short steps: the page's ids with only what the
    sort needs, then the card columns and subqueries for those few products alone (issue 15: with every card
    column in one query, PostgreSQL computed the price, stock and thumbnail subqueries for every matching
    product before sorting, ~0.3 s at 20 000 products)."""
    ordered = page.paginator.object_list
    if not page.paginator.count:  # (not `if page`: that would read the whole page of full rows)
        return []
    ids = list(ordered.values_list("pk", flat=True)[page.start_index() - 1 : page.end_index()])
    return _cards_in_order(ids)


def _cards_in_order(ids: list[int]) -> list:
    if not ids:
        return []
    by_id = {p.pk: p for p in _cards_of(ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def _cards_of(ids: list[int]):
    """product_cards() of these products. On PostgreSQL its SQL is compiled once per process, language and
    number of ids and run as it is with these ids, and each row becomes a `Card` (what the card template and its
    cache key read) rather than a Product: no model instances, signals or translation descriptors per card."""
    language = get_language()
    if connection.vendor != "postgresql":
        return _all_cards(language).filter(pk__in=ids)
    sql, params, places, converters = _cards_sql(language, len(ids))
    params = list(params)
    for place, pk in zip(places, ids, strict=True):
        params[place] = pk
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    return [_card(dict(zip(columns, row, strict=True)), language, converters) for row in rows]


def _card(values: dict, language: str | None, converters: list) -> "Card":
    for name, expression, functions in converters:  # the annotations as the ORM would convert them
        for convert in functions:
            values[name] = convert(values[name], expression, connection)
    # The visitor's language, else the fallback (as django-modeltranslation's descriptor reads Product.name)
    names = (f"name_{language}", *(f"name_{code}" for code in settings.MODELTRANSLATION_FALLBACK_LANGUAGES), "name")
    values["name"] = next((values[n] for n in names if values.get(n)), "")
    return Card(**{field: values[field] for field in CARD_ROW})


@dataclass(slots=True)
class Card:
    """One product as its listing card shows it (shop/cards.py, templates/shop/_card.html)."""

    id: int
    slug: str
    name: str
    brand: str
    price_now: object
    price_regular: object
    has_stock: bool
    thumb: str | None
    thumb_renditions: object
    cart_variant_id: int | None

    @property
    def pk(self) -> int:
        return self.id


CARD_ROW = tuple(field.name for field in dataclasses.fields(Card))


@memoise
def _cards_sql(language: str | None, count: int) -> tuple[str, tuple, tuple[int, ...], list]:
    """The cards query for `count` ids, where the ids go among its parameters (found from stand-ins) and the
    converters of its annotations (a JSON column comes from the database as text, for instance)."""
    stand_ins = [-1_000_000_000 - n for n in range(count)]
    query = _all_cards(language).filter(pk__in=stand_ins).query
    sql, params = query.sql_with_params()
    return sql, params, tuple(params.index(s) for s in stand_ins), _converters(query)


def _converters(query) -> list:
    """(name, expression, functions) of the query's annotations that the ORM converts after reading them."""
    compiler = query.get_compiler(connection=connection)
    converters = []
    for name, expression in query.annotations.items():
        functions = [convert for found in compiler.get_converters([expression]).values() for convert in found[0]]
        if functions:
            converters.append((name, expression, functions))
    return converters


@memoise
def _all_cards(language: str | None) -> QuerySet:
    """product_cards() over every product, built once per process and language and only filtered per page (issue
    15: resolving its six subqueries cost more than running them). Never evaluated itself: `.filter()` clones."""
    return product_cards(Product.objects.all()).only(*CARD_COLUMNS).order_by()


# What a card shows of the product's own columns (shop/cards.py CARD_FIELDS, templates/shop/_card.html): the name
# in every language (the visitor's, with Russian as its fallback), so none is read later per card.
CARD_COLUMNS = ("id", "slug", "brand", "name", *(f"name_{code}" for code, _name in settings.LANGUAGES))


def category_listing(category_ids: list[int]) -> QuerySet:
    """The active products of these categories, sortable(): filtered from a queryset prepared once per process and
    language (issue 15: resolving the subqueries cost more than running them)."""
    return _active_sortable(get_language()).filter(category_id__in=category_ids)


@memoise
def _active_sortable(language: str | None) -> QuerySet:
    return sortable(Product.objects.filter(is_active=True))


def sortable(queryset: QuerySet) -> QuerySet:
    """A listing's products with only what filter_products() and SORTS read (the cheapest price, any stock): the
    page's ids and the count need no more; cards_of_page() reads the card columns of those ids alone."""
    cheapest = Variant.objects.filter(product=OuterRef("pk")).annotate(now=Coalesce("sale_price", "price"))
    return queryset.annotate(
        price_now=Subquery(
            cheapest.order_by("now", "id").values("now")[:1], output_field=DecimalField(max_digits=12, decimal_places=2)
        ),
        has_stock=F("in_stock"),  # kept by triggers (shop migration 0010): an indexed column, no subquery
    )


def filter_products(
    queryset: QuerySet,
    *,
    min_price=None,
    max_price=None,
    in_stock: bool = False,
    on_sale: bool = False,
    brands: list[str] | None = None,
    sort: str = "popular",
) -> QuerySet:
    if min_price is not None:
        queryset = queryset.filter(price_now__gte=min_price)
    if max_price is not None:
        queryset = queryset.filter(price_now__lte=max_price)
    if in_stock:
        queryset = queryset.filter(has_stock=True)
    if on_sale:
        queryset = queryset.filter(variants__sale_price__isnull=False).distinct()
    if brands:
        queryset = queryset.filter(brand__in=brands)
    return queryset.order_by(*SORTS.get(sort, SORTS["popular"]))


def brands_in(category_ids: list[int]) -> list[str]:
    """The brands of a category's products, read once per catalogue version (issue 15: a DISTINCT over every
    product of a large category on each cold render)."""
    ids = ",".join(map(str, sorted(category_ids)))
    kept = _per_version("brands", dict)  # this process's, per catalogue version: no round trip to the cache
    if ids in kept:
        return kept[ids]
    key = f"catalogue:{catalogue_version()}:brands:{hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()}"
    brands = cache.get(key)
    if brands is None:
        brands = list(
            Product.objects.filter(category_id__in=category_ids, is_active=True)
            .exclude(brand="")
            .order_by("brand")
            .values_list("brand", flat=True)
            .distinct()
        )
        cache.set(key, brands, timeout=None)
    if len(kept) < BRANDS_KEPT:
        kept[ids] = brands
    return brands


BRANDS_KEPT = 1000  # listings whose brands a process keeps (categories, with their subcategories)


def search_products(query: str) -> QuerySet:
    """CAT-3/CAT-5 search: see shop/search.py (stored document on PostgreSQL, substring match on SQLite)."""
    return search.search_products(query)


def footer_pages() -> list[dict]:
    return _per_version("pages", _footer_pages)


def _footer_pages() -> list[dict]:
    key = f"catalogue:{catalogue_version()}:pages"
    pages = cache.get(key)
    if pages is None:
        pages = list(
            Page.objects.filter(is_published=True).values("slug", "title_ru", "title_kk", "title_en")
        )
        cache.set(key, pages, timeout=None)
    return pages


SELLER_TRANSLATED = ("company_name", "legal_address", "bank_name", "opening_hours")
SELLER_PLAIN = ("bin", "iik", "bik", "phone", "email")


def _seller_row() -> dict:
    key = f"catalogue:{catalogue_version()}:seller"
    row = cache.get(key)
    if row is None:
        columns = [*SELLER_PLAIN] + [f"{f}_{code}" for f in SELLER_TRANSLATED for code, _name in settings.LANGUAGES]
        row = SellerDetails.objects.values(*columns).first() or {}
        cache.set(key, row, timeout=None)
    return row


def seller_details(language: str) -> dict | None:
    """The seller's details (LEG-3) in `language`, Russian where a text is not translated; None before the row
    exists. Read once per catalogue version (saving the details starts a new one), like the footer pages."""
    row = _per_version("seller", _seller_row)
    if not row:
        return None
    details = {name: row[name] for name in SELLER_PLAIN}
    for name in SELLER_TRANSLATED:
        details[name] = row.get(f"{name}_{language}") or row[f"{name}_{settings.LANGUAGE_CODE}"]
    return details


def current_terms_version() -> str:
    """The version of the published terms that a customer accepts now (ACC-1 evidence, LEG-2)."""
    # Kept per catalogue version (a saved page starts a new one), so checkout doesn't read it on every order.
    current = catalogue_version()
    if _terms_version_cache.get("at") != current:
        version = (
            Page.objects.filter(slug=Page.Kind.TERMS, is_published=True).values_list("version", flat=True).first()
        )
        _terms_version_cache.update(at=current, version=version or "1")
    return _terms_version_cache["version"]


_terms_version_cache: dict = {}


# --- The product page -------------------------------------------------------------------------------------------


def product_rows(model, product) -> list:
    """The product's variants or images (`model`: Variant or ProductImage) in their order, each told its product as a
    prefetch would. On PostgreSQL their query is compiled once per process and run as it is with this product's id
    (issue 15: compiling it cost more than running it)."""
    if connection.vendor != "postgresql":
        rows = list(model.objects.filter(product=product).order_by("position", "id"))
    else:
        sql, params, place = _product_rows_sql(model)
        params = list(params)
        params[place] = product.pk
        rows = list(model.objects.raw(sql, params))
    for row in rows:
        row.product = product
    return rows


@memoise
def _product_rows_sql(model) -> tuple[str, tuple, int]:
    stand_in = -1_000_000_000
    sql, params = model.objects.filter(product_id=stand_in).order_by("position", "id").query.sql_with_params()
    return sql, params, params.index(stand_in)
