"""Refunds admin (REF, STAFF-1): the refunds owed and paid, read-only for now — Support and Finance look them up;
the returns issue adds deciding returns and sending money back through the payment adapter."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from orders.admin import PaymentMethodFilter, payment_label

from .models import Refund, RefundLine


class RefundLineInline(admin.TabularInline):
    model = RefundLine
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("product", "sku", "quantity", "amount")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order_line")

    @admin.display(description=_("product"))
    def product(self, obj):
        return obj.order_line.product_name

    @admin.display(description=_("SKU"))
    def sku(self, obj):
        return obj.order_line.sku

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = (
        "order",
        "reason",
        "status",
        "amount",
        "delivery_amount",
        "method",
        "created_at",
        "refunded_at",
    )
    list_filter = ("status", "reason", PaymentMethodFilter, "created_at")
    search_fields = ("order__number", "order__email", "order__phone", "provider_reference")
    search_help_text = _("Order number, customer's e-mail or phone, provider reference.")
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    inlines = (RefundLineInline,)
    fields = (
        "order",
        "reason",
        "status",
        "amount",
        "delivery_amount",
        "currency",
        "method",
        "created_at",
        "refunded_at",
        "provider_reference",
    )
    readonly_fields = fields

    @admin.display(description=_("refunded through"), ordering="payment_method")
    def method(self, obj):
        return payment_label(obj.payment_method)

    def has_add_permission(self, request):
        return False  # refunds come from cancellations, refusals, returns and claims, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
