"""The loyalty app's section of the personal cabinet (ACC-3, LOY-1, LOY-10): "Bonus account". Listed in
SHOP_CABINET_SECTIONS (config/settings.py); `personal_data` is its part of the "my data" export
(SHOP_PERSONAL_DATA_PARTS). A member sees the balance, pending bonuses with the date each becomes
usable, what expires within 14 days, the tier and what the next one still needs, and the full history (paged);
a customer who has not joined yet confirms a mobile phone with a one-time SMS code. Every page shows only the
signed-in customer's own account."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.cabinet import CabinetSection, cabinet_view, render_cabinet
from base.ratelimit import client_ip

from . import joining, policy, selectors, services
from .forms import CodeForm, PhoneForm
from .models import BonusAccount, BonusEntry, BonusLot, PendingAccrual
from .services import LoyaltyError

HISTORY_PAGE = 50


def _member_context(account, *, now, page_number):
    today = services.local_date(now)
    tier = selectors.effective_tier(account, today)
    rules = selectors.tier_rules()
    orders, total = selectors.purchases(
        account.user_id,
        as_of=now,
        window_days=settings.SHOP_LOYALTY_TIER_WINDOW_DAYS,
        delay_days=settings.SHOP_LOYALTY_ACCRUAL_DELAY_DAYS,
    )
    current = next(rule for rule in rules if rule.code == tier.code)
    progress = policy.progress_to_next(rules, current=current, orders=orders, total=total)
    pending = list(selectors.pending_of(account))
    for row in pending:
        kept = row.quantity - row.returned_quantity
        row.estimate = policy.accrual_amount(
            policy.part_of(row.base, quantity=kept, of=row.quantity), earn_percent=tier.earn_percent
        )
    expiring = list(selectors.expiring_lots(account, now=now, days=settings.SHOP_LOYALTY_EXPIRING_SOON_DAYS))
    history = Paginator(selectors.history(account), HISTORY_PAGE).get_page(page_number)
    return {
        "account": account,
        "tier": tier,
        "next_tier": next((t for t in selectors.Tier.objects.filter(code=progress.tier)), None)
        if progress.tier
        else None,
        "progress": progress,
        "purchases": {"orders": orders, "total": total},
        "pending": pending,
        "pending_total": sum(row.estimate for row in pending),
        "expiring": expiring,
        "expiring_total": sum(lot.remaining for lot in expiring),
        "expiring_days": settings.SHOP_LOYALTY_EXPIRING_SOON_DAYS,
        "history": history,
    }


@cabinet_view
@require_GET
def bonus_account(request):
    account = selectors.account_of(request.user)
    if account is not None:
        context = _member_context(account, now=timezone.now(), page_number=request.GET.get("page"))
        return render_cabinet(request, "loyalty/cabinet.html", "bonuses", context)
    confirmation = joining.current_confirmation(request.user)
    return render_cabinet(
        request,
        "loyalty/join.html",
        "bonuses",
        {"phone_form": PhoneForm(), "code_form": CodeForm() if confirmation else None, "confirmation": confirmation},
    )


@cabinet_view
@require_POST
def send_code(request):
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            confirmation = joining.send_code(
                user=request.user, raw_phone=form.cleaned_data["phone"], ip=client_ip(request)
            )
        except LoyaltyError as error:
            form.add_error("phone", str(error))
        else:
            messages.success(request, _("We sent a code to %(phone)s.") % {"phone": confirmation.phone})
            return redirect("accounts:bonuses")
    confirmation = joining.current_confirmation(request.user)
    context = {"phone_form": form, "code_form": CodeForm() if confirmation else None, "confirmation": confirmation}
    return render_cabinet(request, "loyalty/join.html", "bonuses", context, status=400)


@cabinet_view
@require_POST
def confirm_code(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            joining.confirm_code(user=request.user, code=form.cleaned_data["code"])
        except LoyaltyError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Welcome to the loyalty programme! Your purchases now earn bonuses."))
            return redirect("accounts:bonuses")
    context = {"phone_form": PhoneForm(), "code_form": form, "confirmation": joining.current_confirmation(request.user)}
    return render_cabinet(request, "loyalty/join.html", "bonuses", context, status=400)


section = CabinetSection(
    key="bonuses",
    label=gettext_lazy("Bonus account"),
    url_name="accounts:bonuses",
    position=40,
    summary=gettext_lazy("Balance, pending bonuses and history."),
    urlpatterns=(
        path("bonuses/", bonus_account, name="bonuses"),
        path("bonuses/join/", send_code, name="bonuses_join"),
        path("bonuses/confirm/", confirm_code, name="bonuses_confirm"),
    ),
)


def personal_data(user) -> tuple[str, dict | None]:
    """ACC-3 "my data" export, key "bonuses": the customer's bonus account with its lots, pending accruals and the
    full history (a few queries whatever their number); None for a customer who never joined."""
    account = BonusAccount.objects.select_related("tier").filter(user_id=user.pk).first()
    if account is None:
        return "bonuses", None
    return "bonuses", {
        "phone": account.phone,
        "joined_at": account.joined_at,
        "tier": account.tier.code,
        "tier_since": account.tier_since,
        "balance": account.balance,
        "lots": [
            {
                "source": lot.source,
                "amount": lot.amount,
                "remaining": lot.remaining,
                "accrued_at": lot.accrued_at,
                "expires_at": lot.expires_at,
                "order": lot.order.number if lot.order_id else None,
                "note": lot.note,
            }
            for lot in BonusLot.objects.filter(account=account).select_related("order").order_by("accrued_at", "id")
        ],
        "pending": [
            {
                "order": pending.order.number,
                "status": pending.status,
                "due_at": pending.due_at,
                "accrued": pending.accrued,
            }
            for pending in PendingAccrual.objects.filter(account=account).select_related("order").order_by("id")
        ],
        "history": [
            {
                "at": entry.at,
                "kind": entry.kind,
                "amount": entry.amount,
                "order": entry.order.number if entry.order_id else None,
                "reason": entry.reason,
            }
            for entry in BonusEntry.objects.filter(account=account).select_related("order").order_by("at", "id")
        ],
    }
