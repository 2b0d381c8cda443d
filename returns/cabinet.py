"""The returns app's section of the personal cabinet (ACC-3): "Returns and claims" — the customer's return requests
with their timelines (item 7), a page at a time. Listed in SHOP_CABINET_SECTIONS (config/settings.py)."""

from django.core.paginator import Paginator
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet

from . import timeline
from .models import ReturnRequest

RETURNS_PER_PAGE = 20


def customer_returns(user):
    """The customer's requests (of orders placed while signed in), newest first; a page of them costs a constant
    number of queries (the relations are joined or prefetched per page)."""
    return (
        ReturnRequest.objects.filter(order__user=user)
        .select_related("refund", "order")
        .prefetch_related("lines__order_line", timeline.card_payments_prefetch(), timeline.exchanges_prefetch())
        .order_by("-created_at", "-id")
    )


@cabinet_view
@require_GET
def returns_and_claims(request):
    """A bad page number shows the first page, one past the end the last (Paginator.get_page), never an error."""
    page = Paginator(customer_returns(request.user), RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "returns": [timeline.item(row) for row in page.object_list]}
    return render_cabinet(request, "returns/cabinet.html", "returns", context)


section = CabinetSection(
    key="returns",
    label=_("Returns and claims"),
    url_name="accounts:returns",
    position=30,
    summary=_("Returns of goods and warranty claims."),
    urlpatterns=(path("returns/", returns_and_claims, name="returns"),),
)
