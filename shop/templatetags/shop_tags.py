"""Template helpers for the storefront: money in tenge, media URLs of annotated file names."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.translation import get_language

from shop import policy

register = template.Library()


@register.filter
def money(value) -> str:
    """12990.00 → '12 990 ₸'; tiyn shown only when there are any. Thin no-break spaces keep it on one line."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(policy.TIYN, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    whole, _, frac = f"{amount:,.2f}".partition(".")
    whole = whole.replace(",", "\u202f")
    text = whole if frac == "00" else f"{whole},{frac}"
    return f"{text}\u00a0₸"


@register.filter
def media(name) -> str:
    return f"{settings.MEDIA_URL}{name}" if name else ""


@register.filter
def discount_percent(regular, now) -> int:
    try:
        return policy.discount_percent(Decimal(regular), Decimal(now))
    except (InvalidOperation, TypeError, ValueError):
        return 0


@register.simple_tag
def node_name(node) -> str:
    return node.name(get_language() or "ru")


@register.simple_tag
def page_title(page: dict) -> str:
    lang = get_language() or "ru"
    return page.get(f"title_{lang}") or page.get("title_ru") or page["slug"]


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
