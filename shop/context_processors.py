"""Header and footer data on every page: categories for the menu, footer pages, language links."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from .selectors import category_tree, footer_pages


def storefront(request):
    """What base.html shows around every page; the same for every visitor of a given URL and language."""

    links: list[dict] = []

    def language_links():
        """The page in each language (header links, hreflang alternates, the canonical link): built once."""
        if not links:
            query = request.GET.urlencode()  # not META["QUERY_STRING"]: WSGI gives that as latin-1 mojibake
            current = translation.get_language()
            for code, name in settings.LANGUAGES:
                url = translate_url(request.path, code)
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
