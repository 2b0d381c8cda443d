"""The warranty claims section of the personal cabinet (ACC-3): the customer's claims with their state and the
answer's deadline. Listed in SHOP_CABINET_SECTIONS (config/settings.py)."""

from django.core.paginator import Paginator
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet

from .selectors import claims_of

CLAIMS_PER_PAGE = 20


@cabinet_view
@require_GET
def my_claims(request):
    page = Paginator(claims_of(request.user), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render_cabinet(request, "returns/warranty/cabinet_claims.html", "warranty", {"page": page})


section = CabinetSection(
    key="warranty",
    label=_("Warranty claims"),
    url_name="accounts:warranty",
    position=35,
    summary=_("Your warranty claims, their state and when we answer."),
    urlpatterns=(path("warranty/", my_claims, name="warranty"),),
)
