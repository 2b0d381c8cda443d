"""The returns app's section of the personal cabinet (ACC-3): "Returns and claims" — the customer's return requests
with their timelines (item 7). Listed in SHOP_CABINET_SECTIONS (config/settings.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet

from . import timeline
from .models import ReturnRequest

CABINET_LIMIT = 50  # the newest requests; older ones stay on their orders' pages


def customer_returns(user) -> list[dict]:
    """The customer's requests (of orders placed while signed in), newest first, in a constant number of queries."""
    rows = (
        ReturnRequest.objects.filter(order__user=user)
        .select_related("refund", "order")
        .prefetch_related("lines__order_line", timeline.card_payments_prefetch(), timeline.exchanges_prefetch())
        .order_by("-created_at", "-id")[:CABINET_LIMIT]
    )
    return [timeline.item(row) for row in rows]


@cabinet_view
@require_GET
def returns_and_claims(request):
    return render_cabinet(request, "returns/cabinet.html", "returns", {"returns": customer_returns(request.user)})


section = CabinetSection(
    key="returns",
    label=_("Returns and claims"),
    url_name="accounts:returns",
    position=30,
    summary=_("Returns of goods and warranty claims."),
    urlpatterns=(path("returns/", returns_and_claims, name="returns"),),
)
