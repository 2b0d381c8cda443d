"""Storefront pages: home, catalogue, category, search, product, information pages (CAT-3).

Each page is rendered once per catalogue version, language and query string and served from the cache after
that (shop/page_cache.py); only its personal parts (account link, cart count, messages) are filled in per visit."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import policy, product_fragment, selectors
from .forms import ProductFilterForm, SearchForm
from .legal import page_language
from .models import Page, Product, ProductImage, Variant
from .page_cache import (
    CSRF_PLACEHOLDER,
    LISTING_PARAMETERS,
    SEARCH_PARAMETERS,
    cached_page,
    page_path,
    personalise,
    render_shared_page,
    shared_fragment,
    understands,
)
from .reviews import ReviewSummary, product_reviews

HOME_SHELF_SIZE = 8


def _shared_page(request, kind: str, build):
    """The page from the cache, or built by `build()` → {"title", "main"} and cached; then personalised."""
    html = cached_page(kind, request, lambda: render_shared_page("shop/page.html", build(), request))
    return HttpResponse(personalise(html, request))


def _fragment(template: str, context: dict) -> str:
    # Rendered without the request: nothing personal can end up in a fragment shared by every visitor.
    return render_to_string(template, {**context, "csrf_placeholder": CSRF_PLACEHOLDER})


@understands()
def home(request):
    def build():
        cards = selectors.product_cards()
        nodes = selectors.category_tree()
        roots = sorted((n for n in nodes if n.parent_id is None), key=lambda n: (n.position, n.slug))
        context = {
            "roots": roots,
            "on_sale": list(
                cards.filter(variants__sale_price__isnull=False, has_stock=True)
                .distinct()
                .order_by("-created_at", "id")[:HOME_SHELF_SIZE]
            ),
            "new": list(cards.filter(has_stock=True).order_by("-created_at", "id")[:HOME_SHELF_SIZE]),
            "page_path": page_path(request),
        }
        return {
            "title": settings.SHOP_NAME,
            "meta_description": _(
                "%(shop)s: an online shop with delivery across Kazakhstan — the catalogue, sales and new arrivals, "
                "prices in tenge with VAT."
            ) % {"shop": settings.SHOP_NAME},
            "main": _fragment("shop/_home.html", context),
        }

    return _shared_page(request, "home", build)


@understands()
def catalogue(request):
    def build():
        nodes = selectors.category_tree()
        children: dict = {}
        for node in sorted(nodes, key=lambda n: (n.position, n.slug)):
            children.setdefault(node.parent_id, []).append(node)
        context = {"roots": children.get(None, []), "children": children}
        return {"title": _("Catalogue"), "main": _fragment("shop/_catalogue.html", context)}

    return _shared_page(request, "catalogue", build)


def _filters_html(request, form, q: str) -> SafeString:
    """The filter form (shop/_filters.html), kept in this process by all that decides it — the language, the
    listing, its parameters and the choices offered (issue 15: its widgets, each rendered through a template, were
    a sixth of a cold listing page)."""
    decided_by = (
        request.path,
        q,
        sorted(request.GET.lists()),
        [(v, str(label)) for v, label in form.fields["sort"].choices],
        [v for v, _label in form.fields["brand"].choices],
    )
    html = shared_fragment(
        "shop/_filters.html",
        decided_by,
        lambda: render_to_string("shop/_filters.html", {"form": form, "q": q, "listing_path": request.path}),
    )
    return mark_safe(html)  # noqa: S308 (template output)


def _listing_context(request, products, *, brands, extra_sorts=(), q="", listing_key=None):
    """`products`: sortable (shop.selectors.sortable), or a function that makes it. `listing_key`: what decides
    `products` (the listing's SQL is then kept compiled per key and filters: shop.selectors.listing_page)."""
    form = ProductFilterForm(request.GET or None, brands=brands, extra_sorts=extra_sorts)
    filters = form.filters()

    def filtered():  # built only when the listing's SQL is not kept compiled (shop.selectors.listing_page)
        return selectors.filter_products(products() if callable(products) else products, **filters)

    key = None
    if listing_key is not None:
        key = (*listing_key, *((name, tuple(v) if isinstance(v, list) else v) for name, v in sorted(filters.items())))
    page = selectors.listing_page(filtered, request.GET.get("page"), settings.SHOP_PRODUCTS_PER_PAGE, key)
    return {
        "form": form,
        "filters_html": _filters_html(request, form, q),
        "page": page,
        "query": request.GET,
        "active_sort": filters["sort"],
        "page_path": page_path(request),  # where "Add to cart" comes back to (the path is in the cache key)
        "listing_path": request.path,  # the filter form's action: this listing without its query
    }


@understands(LISTING_PARAMETERS)
def category(request, slug):
    def build():
        nodes = selectors.category_tree()
        node = next((n for n in nodes if n.slug == slug), None)
        if node is None:
            raise Http404(_("No such category."))
        ids = selectors.descendant_ids(node.id, nodes)
        lang = get_language()
        context = _listing_context(
            request,
            lambda: selectors.category_listing(ids),
            brands=selectors.brands_in(ids),
            listing_key=("category", tuple(ids)),
        )
        context.update(
            category=node,
            breadcrumbs=selectors.ancestors(node.id, nodes),
            subcategories=sorted(
                (n for n in nodes if n.parent_id == node.id), key=lambda n: (n.position, n.slug)
            ),
        )
        return {
            "title": node.name(lang),
            "meta_description": policy.meta_description(
                f"{node.name(lang)}. {node.description(lang)}" if node.description(lang) else node.name(lang)
            ),
            "main": _fragment("shop/_category.html", context),
        }

    return _shared_page(request, "category", build)


@understands(SEARCH_PARAMETERS)
def search(request):
    def build():
        # (read here, not per request: a page from the cache needs no form; issue 15, warm search)
        form = SearchForm(request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        context = {"search_form": form, "q": query, "no_words": bool(query) and not policy.search_words(query)}
        if query:
            context.update(
                _listing_context(
                    request,
                    selectors.sortable(selectors.search_products(query)),
                    brands=[],
                    extra_sorts=[("relevance", _("Best match"))],
                    q=query,
                )
            )
        return {"title": _("Search"), "main": _fragment("shop/_search.html", context)}

    return _shared_page(request, "search", build)


@understands()
def product(request, slug):
    def render(item, nodes, reviewed=True):
        # Two plain queries, each compiled once per process (issue 15: prefetch_related's machinery cost more than
        # they do).
        variants = selectors.product_rows(Variant, item)
        images = selectors.product_rows(ProductImage, item)
        context = {
            "product": item,
            "variants": variants,
            "images": images,
            "breadcrumbs": selectors.ancestors(item.category_id, nodes),
            "in_stock": any(v.stock > 0 for v in variants),
            "withdrawal_days": settings.SHOP_WITHDRAWAL_DAYS,
            # CAT-4: approved only, one query however many (none when the product has none)
            "reviews": product_reviews(item) if reviewed else ReviewSummary(),
            "page_path": request.path,
        }
        return {
            "title": item.name,
            "meta_description": policy.meta_description(item.description),  # empty: the shop's default
            "main": _fragment("shop/_product.html", context),
        }

    def read(**lookup):
        return get_object_or_404(
            Product.objects.select_related("category").defer("search_document", "created_at", "updated_at"),
            is_active=True,
            category__is_active=True,
            **lookup,
        )

    def build():
        nodes = selectors.category_tree()
        if not product_fragment.enabled():
            return render(read(slug=slug), nodes)
        # Issue 15: the page's body cached by the product's own data (shop/product_fragment.py).
        stamp = product_fragment.product_stamp(slug)
        if stamp is None:
            raise Http404
        key = product_fragment.fragment_key(stamp, selectors.ancestors(stamp[1], nodes))
        return product_fragment.cached_fragment(key, lambda: render(read(pk=stamp[0]), nodes, reviewed=stamp[3] > 0))

    return _shared_page(request, "product", build)


@understands()
def page(request, slug):
    """An information page (LEG-1) in the visitor's language, Russian where it is not translated, with its
    version and the date it last changed; cached like the catalogue (a page save bumps the version)."""
    def build():
        item = get_object_or_404(Page, slug=slug, is_published=True)
        language = page_language(item, get_language())
        updated = timezone.localtime(item.updated_at)
        updated_html = format_html('<time datetime="{}">{}</time>', updated.date().isoformat(), f"{updated:%d.%m.%Y}")
        context = {
            "page": item,
            "title": getattr(item, f"title_{language}"),
            "body": getattr(item, f"body_{language}"),
            "content_language": language if language != get_language() else "",
            "updated": updated_html,
            "meta_description": policy.meta_description(getattr(item, f"body_{language}")),
        }
        return render_shared_page("shop/info_page.html", context, request)

    return HttpResponse(personalise(cached_page("page", request, build), request))
