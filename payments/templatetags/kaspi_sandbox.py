"""`{% kaspi_sandbox_app_url phone as url %}`: the Kaspi-app stand-in for this phone when the sandbox is on, else ""."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def kaspi_sandbox_app_url(context, phone: str) -> str:
    if not settings.SHOP_PAYMENT_SANDBOX or not phone:
        return ""
    query = {"phone": phone}
    request = context.get("request")
    if request is not None:
        query["back"] = request.get_full_path()  # the stand-in offers a link back to this page
    return f"{reverse('sandbox_kaspi_app')}?{urlencode(query)}"
