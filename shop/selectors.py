"""Catalogue reads for views and admin: a constant number of queries whatever the page size."""

import dataclasses
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

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


def category_tree() -> list[CategoryNode]:
    """Every active category (one query, then cached per catalogue version)."""
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
    """Products annotated with what a card shows — current and regular price of the cheapest variant, total
    stock, first thumbnail, the cheapest in-stock variant for "Add to cart" — so a list page needs one query for
    its rows however many there are."""
    queryset = Product.objects.filter(is_active=True) if queryset is None else queryset
    cheapest = (
        Variant.objects.filter(product=OuterRef("pk"))
        .annotate(now=Coalesce("sale_price", "price"))
        .order_by("now", "id")
    )
    stock = Variant.objects.filter(product=OuterRef("pk")).values("product").annotate(total=Sum("stock"))
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
        stock_total=Coalesce(Subquery(stock.values("total")[:1]), Value(0), output_field=IntegerField()),
        has_stock=Exists(Variant.objects.filter(product=OuterRef("pk"), stock__gt=0)),
        thumb=Subquery(first_image.values("thumbnail")[:1]),
        thumb_renditions=Subquery(first_image.values("renditions")[:1]),
        cart_variant_id=Subquery(cheapest_in_stock.values("id")[:1], output_field=IntegerField()),
    ).defer("description_ru", "description_kk", "description_en", "description")


def cards_of_page(page) -> list:
    """The cards of one page of a sorted listing, read in two short steps: the page's ids with only what the
    sort needs, then the card columns and subqueries for those few products alone (issue 15: with every card
    column in one query, PostgreSQL computed the price, stock and thumbnail subqueries for every matching
    product before sorting, ~0.3 s at 20 000 products)."""
    ordered = page.paginator.object_list
    if not page.paginator.count:  # (not `if page`: that would read the whole page of full rows)
        return []
    ids = list(ordered.values_list("pk", flat=True)[page.start_index() - 1 : page.end_index()])
    if not ids:
        return []
    by_id = {p.pk: p for p in product_cards(Product.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


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
    return brands


def search_products(query: str) -> QuerySet:
    """CAT-3/CAT-5 search: see shop/search.py (stored document on PostgreSQL, substring match on SQLite)."""
    return search.search_products(query)


def footer_pages() -> list[dict]:
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


def seller_details(language: str) -> dict | None:
    """The seller's details (LEG-3) in `language`, Russian where a text is not translated; None before the row
    exists. Read once per catalogue version (saving the details starts a new one), like the footer pages."""
    key = f"catalogue:{catalogue_version()}:seller"
    row = cache.get(key)
    if row is None:
        columns = [*SELLER_PLAIN] + [f"{f}_{code}" for f in SELLER_TRANSLATED for code, _name in settings.LANGUAGES]
        row = SellerDetails.objects.values(*columns).first() or {}
        cache.set(key, row, timeout=None)
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
