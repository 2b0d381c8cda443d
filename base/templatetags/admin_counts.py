"""The admin's "14 orders" under a list, with the language's plural forms (Django writes the count next to the
model's plural name, which gives "14 заказы" in Russian)."""

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def result_count(cl) -> str:
    """The ModelAdmin's own `result_count_text(count)` (an ngettext phrase) when it has one; otherwise a form
    that needs no plural: "Orders: 14"."""
    count = cl.result_count
    phrase = getattr(cl.model_admin, "result_count_text", None)
    if phrase is not None:
        return phrase(count)
    return gettext("%(things)s: %(count)s") % {"things": capfirst(cl.opts.verbose_name_plural), "count": count}
