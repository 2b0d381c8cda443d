"""The consent banner and the analytics block on pages rendered per request (cached pages use placeholders)."""

from django import template
from django.utils.safestring import mark_safe

from shop import consent

register = template.Library()


@register.simple_tag(takes_context=True)
def consent_banner(context) -> str:
    request = context.get("request")
    if request is None or context.get("hide_consent_banner"):
        return ""
    return mark_safe(consent.banner_html(request))  # noqa: S308  (our own template, values escaped in it)


@register.simple_tag(takes_context=True)
def analytics_block(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    return mark_safe(consent.analytics_html(request))  # noqa: S308  (our template and the operator's snippet)
