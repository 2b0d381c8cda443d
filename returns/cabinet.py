"""The returns app's section of the personal cabinet (ACC-3): "Returns and claims". Listed in
SHOP_CABINET_SECTIONS (config/settings.py). For now it explains what will appear there."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet


@cabinet_view
@require_GET
def returns_and_claims(request):
    return render_cabinet(request, "returns/cabinet.html", "returns")


section = CabinetSection(
    key="returns",
    label=_("Returns and claims"),
    url_name="accounts:returns",
    position=30,
    summary=_("Returns of goods and warranty claims."),
    urlpatterns=(path("returns/", returns_and_claims, name="returns"),),
)
