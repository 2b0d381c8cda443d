"""The loyalty app's section of the personal cabinet (ACC-3, LOY-10): "Bonus account". Listed in
SHOP_CABINET_SECTIONS (config/settings.py). For now it explains what will appear there."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet


@cabinet_view
@require_GET
def bonus_account(request):
    return render_cabinet(request, "loyalty/cabinet.html", "bonuses")


section = CabinetSection(
    key="bonuses",
    label=_("Bonus account"),
    url_name="accounts:bonuses",
    position=40,
    summary=_("Balance, pending bonuses and history."),
    urlpatterns=(path("bonuses/", bonus_account, name="bonuses"),),
)
