"""The orders app's part of the personal cabinet (ACC-3): the "My orders" section and the customer's orders in
the "my data" export. Listed in SHOP_CABINET_SECTIONS and SHOP_PERSONAL_DATA_PARTS (config/settings.py)."""

from django.core.paginator import Paginator
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet

from .selectors import orders_export_of, orders_of, with_tracking_links

ORDERS_PER_PAGE = 20


@cabinet_view
@require_GET
def my_orders(request):
    """ACC-3 "My orders": only this customer's orders, newest first; the same few queries for 1 or 1000."""
    page = Paginator(orders_of(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "orders": with_tracking_links(page.object_list)}
    return render_cabinet(request, "orders/cabinet_orders.html", "orders", context)


section = CabinetSection(
    key="orders",
    label=_("My orders"),
    url_name="accounts:orders",
    position=20,
    summary=_("Status, delivery tracking and cancellation of your orders."),
    urlpatterns=(path("orders/", my_orders, name="orders"),),
)


def personal_data(user) -> tuple[str, list[dict]]:
    """The export's "orders" key: every order this customer placed while signed in, with its lines."""
    return "orders", orders_export_of(user)
