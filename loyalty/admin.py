"""Loyalty admin (issue 14, item 8): the tier table (editable), accounts, lots and the log (read-only: the ledger
changes only through `loyalty.services`), a manual adjustment with its mandatory reason (Support within
``SHOP_LOYALTY_SUPPORT_ADJUST_LIMIT``, larger ones a superuser) and promotion bonuses granted to the selected
accounts (a segment: filter the list, tick, run the action) with their own expiry."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from base.request_text import RefusesUnsafeText

from . import services
from .models import BonusAccount, BonusEntry, BonusLot, PendingAccrual, Tier
from .services import LoyaltyError


class AdjustmentForm(RefusesUnsafeText, forms.Form):
    amount = forms.IntegerField(
        label=_("Bonuses"), min_value=-10_000_000, max_value=10_000_000, help_text=_("Negative to take bonuses away.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, help_text=_("Required: it is kept in the log."))
    key = forms.CharField(widget=forms.HiddenInput, max_length=60)


class PromotionForm(RefusesUnsafeText, forms.Form):
    amount = forms.IntegerField(label=_("Bonuses per account"), min_value=1, max_value=1_000_000)
    expires_at = forms.DateTimeField(label=_("Expire at"), required=False, help_text=_("Empty: never."))
    reason = forms.CharField(label=_("Promotion"), max_length=200)
    key = forms.CharField(widget=forms.HiddenInput, max_length=60)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tier)
class TierAdmin(TabbedTranslationAdmin):
    list_display = ("name", "code", "position", "min_orders", "min_sum", "earn_percent", "pay_percent")
    list_editable = ("min_orders", "min_sum", "earn_percent", "pay_percent")
    ordering = ("position",)


@admin.register(BonusAccount)
class BonusAccountAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("user", "phone", "tier", "balance", "joined_at")
    list_filter = ("tier",)
    search_fields = ("user__email", "phone")
    list_select_related = ("user", "tier")
    readonly_fields = ("user", "phone", "joined_at", "tier", "tier_since", "next_tier", "next_tier_from", "balance")
    actions = ["grant_promotion"]
    change_form_template = "admin/loyalty/bonusaccount/change_form.html"

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm("loyalty.adjust_bonuses")

    def get_urls(self):
        own = [path("<int:pk>/adjust/", self.admin_site.admin_view(self.adjust_view), name="loyalty_adjust")]
        return own + super().get_urls()

    def adjust_view(self, request, pk):
        if not request.user.has_perm("loyalty.adjust_bonuses"):
            raise PermissionDenied
        account = get_object_or_404(BonusAccount.objects.select_related("user"), pk=pk)
        form = AdjustmentForm(request.POST or None, initial={"key": uuid.uuid4().hex})
        if request.method == "POST" and form.is_valid():
            try:
                services.adjust(
                    account=account,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    key=f"adjust:{form.cleaned_data['key']}",
                )
            except LoyaltyError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, gettext("The balance was adjusted."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:loyalty_bonusaccount_change", args=[account.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Adjust the bonus balance"),
            "account": account,
            "form": form,
        }
        return TemplateResponse(
            request, "admin/loyalty/bonusaccount/adjust.html", context, status=400 if form.errors else 200
        )

    @admin.action(description=_("Grant promotion bonuses to the selected accounts"))
    def grant_promotion(self, request, queryset):
        if not request.user.has_perm("loyalty.grant_promotion_bonuses"):
            raise PermissionDenied
        form = PromotionForm(request.POST if "apply" in request.POST else None, initial={"key": uuid.uuid4().hex})
        if "apply" in request.POST and form.is_valid():
            granted = services.grant_promotion(
                account_ids=list(queryset.values_list("pk", flat=True)),
                amount=form.cleaned_data["amount"],
                expires_at=form.cleaned_data["expires_at"],
                reason=form.cleaned_data["reason"],
                key=form.cleaned_data["key"],
                actor=request.user,
            )
            self.message_user(request, gettext("Promotion bonuses granted to %(count)s accounts.") % {"count": granted})
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Grant promotion bonuses"),
            "accounts": queryset.select_related("user")[:200],
            "count": queryset.count(),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "form": form,
        }
        return TemplateResponse(request, "admin/loyalty/bonusaccount/promotion.html", context)


@admin.register(BonusLot)
class BonusLotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("account", "source", "amount", "remaining", "accrued_at", "expires_at", "order")
    list_filter = ("source",)
    search_fields = ("account__user__email", "account__phone")
    list_select_related = ("account__user", "order")
    raw_id_fields = ("account", "order")


@admin.register(BonusEntry)
class BonusEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("at", "account", "kind", "amount", "order", "reason", "actor", "key")
    list_filter = ("kind",)
    search_fields = ("account__user__email", "account__phone", "key", "order__number")
    list_select_related = ("account__user", "order", "actor")
    raw_id_fields = ("account", "order", "lot", "actor")
    date_hierarchy = "at"


@admin.register(PendingAccrual)
class PendingAccrualAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("order", "order_line", "account", "base", "due_at", "status", "held_by", "accrued")
    list_filter = ("status",)
    search_fields = ("order__number", "account__user__email")
    list_select_related = ("order", "order_line", "account__user")
    raw_id_fields = ("order", "order_line", "account")
