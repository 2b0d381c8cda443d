"""Refunds admin (REF, STAFF-1): the refunds owed and paid, read-only for now — Support and Finance look them up;
the returns issue adds deciding returns and sending money back through the payment adapter."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from base.money import money_column
from orders.admin import PaymentMethodFilter, payment_label
from payments.services import PaymentError

from . import services
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
        "number",
        "order",
        "reason",
        "status",
        "amount_money",  # issue 16: money as the shop writes it
        "delivery_money",
        "method",
        "created_at",
        "due_by",
        "refunded_at",
    )
    list_filter = ("status", "reason", PaymentMethodFilter, "created_at")
    search_fields = ("order__number", "order__email", "order__phone", "provider_reference")
    search_help_text = _("Order number, customer's e-mail or phone, provider reference.")
    amount_money = money_column("amount", Refund._meta.get_field("amount").verbose_name)
    delivery_money = money_column("delivery_amount", Refund._meta.get_field("delivery_amount").verbose_name)
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    inlines = (RefundLineInline,)
    actions = ("send_through_provider",)
    fields = (
        "order",
        "reason",
        "status",
        "amount",
        "goods_amount",
        "delivery_amount",
        "deductions",
        "deduction_reason",
        "bonus_clawback",
        "bonuses_returned",
        "currency",
        "method",
        "created_at",
        "due_by",
        "sent_at",
        "refunded_at",
        "provider_reference",
        "last_error",
    )
    readonly_fields = fields

    @admin.display(description=_("number"), ordering="pk")
    def number(self, obj):
        return obj.number

    @admin.display(description=_("refunded through"), ordering="payment_method")
    def method(self, obj):
        return payment_label(obj.payment_method)

    def has_add_permission(self, request):
        return False  # refunds come from cancellations, refusals, returns and claims, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the money back through the payment provider"), permissions=["refund_payment"])
    def send_through_provider(self, request, queryset):
        """PAY-7: each selected refund due goes back through the payments that paid the order (full or partial);
        one already sent is refused, so pressing twice never pays twice."""
        sent = 0
        for due in queryset.select_related("order"):
            try:
                results = services.send_refund(refund=due, actor=request.user)
            except PaymentError as error:
                self.message_user(request, f"{due.order}: {error.message}", messages.ERROR)
                continue
            failed = [r for r in results if r.status != r.Status.SUCCEEDED]
            for result in failed:
                self.message_user(
                    request,
                    _("%(order)s: the provider did not confirm the refund (%(answer)s); it stays pending.")
                    % {"order": due.order, "answer": result.message or result.get_status_display()},
                    messages.WARNING,
                )
            sent += len(results) - len(failed)
            self.log_change(request, due, f"refund sent through the provider: {[str(r.amount) for r in results]}")
        if sent:
            self.message_user(
                request, ngettext("%(n)d refund sent.", "%(n)d refunds sent.", sent) % {"n": sent}, messages.SUCCESS
            )

    def has_refund_payment_permission(self, request):
        return request.user.has_perm("payments.refund_payment")
