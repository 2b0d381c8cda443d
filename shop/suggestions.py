"""As-you-type search suggestions (issue 15, CAT-5): a small JSON answer, products and categories, at most
SUGGESTIONS_LIMIT items, cached per catalogue version, language and normalised prefix."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from base.request_text import clean_text

from . import policy, search, selectors
from .catalogue_version import catalogue_version

SUGGESTIONS_LIMIT = 8
CATEGORY_SUGGESTIONS = 3  # at most; products fill the rest
MIN_PREFIX = 2
MAX_QUERY = 100  # the search form's limit


def suggestions(prefix: str, language: str) -> list[dict]:
    """Categories whose name contains a word starting with the prefix's first word, then the best products."""
    words = policy.search_words(prefix)
    if not words or len(" ".join(words)) < MIN_PREFIX:
        return []
    items: list[dict] = []
    for node in sorted(selectors.category_tree(), key=lambda n: (n.position, n.slug)):
        name = node.name(language)
        if all(any(w.startswith(word) for w in policy.search_words(name)) for word in words):
            items.append({"kind": "category", "label": name, "url": reverse("shop:category", args=[node.slug])})
            if len(items) == CATEGORY_SUGGESTIONS:
                break
    products = (
        search.search_products(prefix)
        .order_by("-search_exact", "-search_rank", "id")
        .values("slug", "name_ru", "name_kk", "name_en")[: SUGGESTIONS_LIMIT - len(items)]
    )
    for row in products:
        label = row.get(f"name_{language}") or row["name_ru"]
        items.append({"kind": "product", "label": label, "url": reverse("shop:product", args=[row["slug"]])})
    return items


@require_GET
def suggest(request):
    """GET /search/suggest/?q=… → {"q": …, "items": [{"kind", "label", "url"}, …]}; bad input → 400."""
    raw = request.GET.get("q", "")
    text = clean_text(raw, max_length=MAX_QUERY)
    if text is None:
        message = _("Ensure this value has at most %(limit)d characters and no control characters.") % {
            "limit": MAX_QUERY
        }
        return JsonResponse({"error": message}, status=400)
    prefix = " ".join(policy.search_words(text))
    language = get_language()
    digest = hashlib.sha1(prefix.encode(), usedforsecurity=False).hexdigest()
    key = f"suggest:{catalogue_version()}:{language}:{digest}"
    items = cache.get(key)
    if items is None:
        items = suggestions(prefix, language)
        cache.set(key, items, timeout=settings.SHOP_PAGE_CACHE_SECONDS)
    response = JsonResponse({"q": text, "items": items})
    response["Cache-Control"] = "public, max-age=60"
    return response
