"""Template helpers for the storefront: money in tenge, media URLs of annotated file names."""

import html
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import get_language

from base.money import format_money
from shop import cards, page_cache, pictures, policy, selectors

register = template.Library()


@register.filter
def money(value) -> str:
    """12990.00 → '12 990 ₸' (base.money.format_money, the shop's one way of writing an amount)."""
    return format_money(value)


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
def with_shop_name(title) -> str:
    """`{% filter with_shop_name %}…{% endfilter %}` around a page's title: policy.document_title on the rendered
    (escaped) text, escaped again — the shop's name once, never "Dala Shop · Dala Shop"."""
    return escape(policy.document_title(html.unescape(str(title)), settings.SHOP_NAME))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def seller_details():
    """The seller's details (LEG-3) in the language being rendered: pages and mails (rendered in the worker in
    the recipient's language) read them the same way, from the cache."""
    return selectors.seller_details(get_language() or settings.LANGUAGE_CODE)


@register.filter
def tel_uri(phone: str) -> str:
    """A phone number as written ("+7 (700) 000-00-00") as a tel: link target."""
    return "tel:" + "".join(c for c in str(phone) if c.isdigit() or c == "+")


@register.simple_tag(takes_context=True)
def product_cards(context, products, grid="listing", below_the_fold=False):
    """Issue 15: the cards of `products`, each cached by its own data (shop/cards.py); `grid` names the layout
    the cards are shown in (their pictures' sizes and first row, cards.GRIDS)."""
    return cards.render_cards(products, context.get("page_path", ""), grid=grid, below_the_fold=below_the_fold)


@register.simple_tag
def picture(renditions, src, alt="", sizes="100vw", loading="", fetchpriority=""):
    """Issue 16, item 8: a product image as <picture> with its AVIF/WebP renditions (shop/pictures.py)."""
    return pictures.picture(renditions, src, alt=alt, sizes=sizes, loading=loading, fetchpriority=fetchpriority)


@register.tag
def shared_fragment(parser, token):
    """`{% shared_fragment "footer" footer_pages seller %}…{% endshared_fragment %}`: a fragment the same for every
    visitor, rendered once per language and value of the variables named (all that it shows: nothing personal or
    page-specific may go inside unless named) and kept in the process (issue 15; shop.page_cache.shared_fragment).
    If a variable is missing the fragment is rendered, not kept."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("shared_fragment takes a quoted name and the variables that decide it")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(bits[1][1:-1], [template.Variable(bit) for bit in bits[2:]], nodelist)


class SharedFragmentNode(template.Node):
    def __init__(self, name: str, variables: list, nodelist):
        self.name = name
        self.variables = variables
        self.nodelist = nodelist

    def render(self, context) -> str:
        try:
            decided_by = [variable.resolve(context) for variable in self.variables]
        except template.VariableDoesNotExist:
            return self.nodelist.render(context)
        return page_cache.shared_fragment(self.name, decided_by, lambda: self.nodelist.render(context))
