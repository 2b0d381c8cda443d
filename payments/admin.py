"""Payments in the admin (PAY, SUP-2): read-only attempts with their event log and refunds; support and finance
see everything, and a refund through the provider is an explicit, audited action on a refund due (returns)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from base.money import money_column
from orders.admin import PaymentMethodFilter, payment_label
from orders.models import Order

from .models import Payment, PaymentEvent, PaymentRefund


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ("at", "kind", "verified", "outcome", "payload", "headers", "remote_ip")
    readonly_fields = fields
    ordering = ("at", "id")


class PaymentRefundInline(ReadOnlyInline):
    model = PaymentRefund
    fields = ("created_at", "amount", "reason", "status", "provider_refund_id", "message", "actor", "completed_at")
    readonly_fields = fields


class AdapterFilter(PaymentMethodFilter):
    """The payment methods by their names (issue 16), on the payment's own `adapter` field."""

    def queryset(self, request, queryset):
        return queryset.filter(adapter=self.value()) if self.value() else queryset


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("invoice_id", "order", "method", "amount_money", "status", "refunded_money", "created_at")
    list_filter = ("status", AdapterFilter, "created_at")
    search_fields = ("invoice_id", "order__number", "order__email", "provider_payment_id", "provider_transaction_id")
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    inlines = (PaymentRefundInline, PaymentEventInline)
    readonly_fields = (
        "order",
        "adapter",
        "invoice_id",
        "amount",
        "currency",
        "status",
        "idempotency_key",
        "provider_payment_id",
        "provider_transaction_id",
        "phone",
        "decline_code",
        "decline_message",
        "refunded_amount",
        "created_at",
        "updated_at",
        "paid_at",
        "next_check_at",
        "checks_made",
    )
    fields = readonly_fields

    # issue 16: money as the shop writes it ("47 090 ₸") and the method by its name, not its code
    amount_money = money_column("amount", Payment._meta.get_field("amount").verbose_name)
    refunded_money = money_column("refunded_amount", Payment._meta.get_field("refunded_amount").verbose_name)

    @admin.display(description=_("payment method"), ordering="adapter")
    def method(self, obj):
        return payment_label(obj.adapter)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    """Every callback, including forged and unknown ones (which have no payment): PAY-3's "logged"."""

    list_display = ("at", "adapter", "kind", "verified", "payment", "outcome", "remote_ip")
    list_filter = ("kind", "verified", "adapter")
    search_fields = ("payment__invoice_id", "payment__order__number", "outcome")
    list_select_related = ("payment",)
    readonly_fields = ("payment", "adapter", "kind", "verified", "outcome", "payload", "headers", "remote_ip", "at")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderPaymentInline(ReadOnlyInline):
    """The order's payment attempts on the order's admin page, each linking to its event log."""

    model = Payment
    fields = (
        "invoice_id",
        "adapter",
        "amount",
        "status",
        "refunded_amount",
        "decline_message",
        "created_at",
        "paid_at",
    )
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("payments")


def _add_payments_to_the_order_page() -> None:
    # payments depends on orders, not the other way round: the orders admin learns about payments from here.
    order_admin = admin.site._registry.get(Order)
    if order_admin is not None and OrderPaymentInline not in order_admin.inlines:
        order_admin.inlines = (*order_admin.inlines, OrderPaymentInline)


_add_payments_to_the_order_page()
