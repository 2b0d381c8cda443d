"""Header and footer data on every page: categories for the menu, footer pages, language links."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from .selectors import category_tree, footer_pages

PATHS_KEPT = 2048  # pages' addresses in each language kept per process


@lru_cache(maxsize=PATHS_KEPT)
def _translated(path: str, active: str, code: str, root_urlconf: str, urlconf) -> str:
    """The page's address in another language (a resolve() and a reverse() in the `active` language), once per
    address (issue 15)."""
    return translate_url(path, code)


def storefront(request):
    """What base.html shows around every page; the same for every visitor of a given URL and language."""

    links: list[dict] = []

    def language_links():
        """The page in each language (header links, hreflang alternates, the canonical link): built once."""
        if not links:
            query = request.GET.urlencode()  # not META["QUERY_STRING"]: WSGI gives that as latin-1 mojibake
            current = translation.get_language()
            for code, name in settings.LANGUAGES:
                url = _translated(request.path, current, code, settings.ROOT_URLCONF, get_urlconf())
                url = f"{url}?{query}" if query else url
                links.append(
                    {
                        "code": code,
                        "name": name,
                        "url": url,
                        "absolute": settings.SHOP_BASE_URL + url,
                        "current": code == current,
                        "default": code == settings.LANGUAGE_CODE,
                    }
                )
        return links

    def top_categories():
        return sorted((n for n in category_tree() if n.parent_id is None), key=lambda n: (n.position, n.slug))

    def default_meta_description():
        """LEG-3: the <meta name="description"> of a page that has no text of its own."""
        return _("%(shop)s — an online shop with delivery across Kazakhstan. Prices in tenge, VAT included.") % {
            "shop": settings.SHOP_NAME
        }

    # Callables: the template engine calls them lazily, so pages that don't show them pay nothing.
    return {
        "SHOP_NAME": settings.SHOP_NAME,
        "header_q": request.GET.get("q", "")[:100],
        "language_links": language_links,
        "top_categories": top_categories,
        "footer_pages": footer_pages,
        "default_meta_description": default_meta_description,
    }
