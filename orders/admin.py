"""Orders admin (SUP-2, STAFF-1): the order queue and the staff's actions on orders, coupons and coupon batches
(CPN-1), and the delivery reference data — cities, the tariff table, pickup points, stores (DLV-1, DLV-2).

Orders are frozen (ORD-3): nobody edits them through a form. Staff move them along only through the actions
below, each of which calls ``orders.fulfilment`` — the core locks the row, checks the transition, writes the
OrderEvent with the staff member as actor and mails the customer; the admin adds a LogEntry to its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from accounts.policy import InvalidPhone, normalise_phone
from base.export import csv_response
from base.money import money_column

from . import policy
from .admin_forms import CouponAdminForm, CouponBatchForm, OrderActionForm, ReasonForm, ShipForm
from .coupons import services as coupon_services
from .delivery.carriers import get_carrier
from .fulfilment import services as fulfilment
from .fulfilment.services import TransitionError
from .models import (
    City,
    Coupon,
    DeliveryTariff,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PickupPoint,
    Store,
    StoreStock,
)
from .payment_methods import all_adapters, get_adapter


def payment_label(code: str) -> str:
    adapter = get_adapter(code)
    return str(adapter.label) if adapter else code


# --- Order actions -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderAction:
    """One thing staff may do to an order: who may (`permission`, a ModelAdmin has_<permission>_permission),
    when it is offered (`offered`, from the order's state), what it asks first (`form`), what it calls."""

    name: str
    label: str
    permission: str
    run: Callable[[Order, object, dict], object]
    offered: Callable[[Order], bool]
    log: str  # the LogEntry message; may use %(reason)s, %(tracking)s, %(amount)s
    form: type[OrderActionForm] | None = None


def _next(order: Order) -> list[str]:
    return policy.next_statuses(order.status, pays_on_delivery=fulfilment.pays_on_delivery(order))


def _step(target: str):
    def run(order, user, data):
        return fulfilment.set_status(order=order, target=target, actor=user)

    return run


def _mark_cod_paid(order, user, data):
    if not fulfilment.pays_on_delivery(order):
        raise TransitionError(
            gettext("Only cash-on-delivery orders are marked paid by staff; online payments come from the provider.")
        )
    return fulfilment.mark_paid(order=order, actor=user, amount=order.total)


def _ship(order, user, data):
    return fulfilment.mark_shipped(
        order=order, actor=user, tracking_number=data["tracking"][order.pk], carrier=data["carrier"]
    )


ORDER_ACTIONS: dict[str, OrderAction] = {
    action.name: action
    for action in (
        OrderAction(
            name="confirm",
            label=_("Confirm order"),
            permission="confirm_order",
            run=lambda order, user, data: fulfilment.confirm_order(order=order, actor=user),
            offered=lambda order: OrderStatus.CONFIRMED in _next(order),
            log=_("Confirmed the order."),
        ),
        OrderAction(
            name="refuse",
            label=_("Refuse order"),
            permission="confirm_order",
            run=lambda order, user, data: fulfilment.refuse_order(order=order, actor=user, reason=data["reason"]),
            offered=lambda order: order.status == OrderStatus.PLACED,
            log=_("Refused the order: %(reason)s"),
            form=ReasonForm,
        ),
        OrderAction(
            name="cancel",
            label=_("Cancel order"),
            permission="cancel_order",
            run=lambda order, user, data: fulfilment.cancel_order(order=order, actor=user, reason=data["reason"]),
            offered=lambda order: policy.can_transition(order.status, OrderStatus.CANCELLED),
            log=_("Cancelled the order: %(reason)s"),
            form=ReasonForm,
        ),
        OrderAction(
            name="assemble",
            label=_("Mark being assembled"),
            permission="advance_order",
            run=_step(OrderStatus.ASSEMBLING),
            offered=lambda order: OrderStatus.ASSEMBLING in _next(order),
            log=_("Marked the order being assembled."),
        ),
        OrderAction(
            name="ship",
            label=_("Mark shipped"),
            permission="ship_order",
            run=_ship,
            offered=lambda order: OrderStatus.SHIPPED in _next(order),
            log=_("Marked the order shipped, tracking number %(tracking)s."),
            form=ShipForm,
        ),
        OrderAction(
            name="deliver",
            label=_("Mark delivered"),
            permission="ship_order",
            run=_step(OrderStatus.DELIVERED),
            offered=lambda order: OrderStatus.DELIVERED in _next(order),
            log=_("Marked the order delivered."),
        ),
        OrderAction(
            name="refused_at_delivery",
            label=_("Mark refused at delivery"),
            permission="ship_order",
            run=_step(OrderStatus.REFUSED),
            offered=lambda order: OrderStatus.REFUSED in _next(order),
            log=_("Marked the order refused at delivery."),
        ),
        OrderAction(
            name="complete",
            label=_("Mark completed"),
            permission="advance_order",
            run=_step(OrderStatus.COMPLETED),
            offered=lambda order: OrderStatus.COMPLETED in _next(order),
            log=_("Marked the order completed."),
        ),
        OrderAction(
            name="cod_paid",
            label=_("Mark cash on delivery paid"),
            permission="mark_order_paid",
            run=_mark_cod_paid,
            offered=lambda order: (
                fulfilment.pays_on_delivery(order)
                and order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
                and order.paid_amount < order.total
            ),
            log=_("Marked cash on delivery paid: %(amount)s ₸."),
        ),
    )
}

# Which Django permission each action permission stands for (see OrderAdmin.has_<name>_permission).
ACTION_PERMISSIONS = {
    "confirm_order": "orders.confirm_order",
    "cancel_order": "orders.cancel_order",
    "ship_order": "orders.ship_order",
    "mark_order_paid": "orders.mark_order_paid",
    # plain steps along the flow (assembling, completed): Support's "change order", since orders themselves
    # are never edited through a form
    "advance_order": "orders.change_order",
}


def _flat(group):
    return group if isinstance(group, tuple | list) else (group,)


# --- Order list filters ------------------------------------------------------------------------------------------


class PaymentMethodFilter(admin.SimpleListFilter):
    """The payment methods the shop offers (PAY-1), by their labels; no query."""

    title = _("payment method")
    parameter_name = "payment_method"

    def lookups(self, request, model_admin):
        return [(code, adapter.label) for code, adapter in all_adapters().items()]

    def queryset(self, request, queryset):
        return queryset.filter(payment_method=self.value()) if self.value() else queryset


class CancellationRequestedFilter(admin.SimpleListFilter):
    """ORD-6: the customers' cancellation requests support has to decide."""

    title = _("cancellation requested")
    parameter_name = "cancellation"

    def lookups(self, request, model_admin):
        return [("pending", _("awaiting a decision")), ("any", _("requested (any outcome)"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(
                cancellation_requested_at__isnull=False, status__in=sorted(policy.customer_cancellable())
            )
        if self.value() == "any":
            return queryset.filter(cancellation_requested_at__isnull=False)
        return queryset


# --- Order inlines: read-only lines and history ------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        "product_name",
        "sku",
        "quantity",
        "unit_price_money",
        "line_total_money",
        "discount_share_money",
        "paid_total_money",
    )
    # issue 16: money written as in the shop ("47 090 ₸")
    unit_price_money = money_column("unit_price", OrderLine._meta.get_field("unit_price").verbose_name)
    line_total_money = money_column("line_total", OrderLine._meta.get_field("line_total").verbose_name)
    discount_share_money = money_column("discount_share", OrderLine._meta.get_field("discount_share").verbose_name)
    paid_total_money = money_column("paid_total", OrderLine._meta.get_field("paid_total").verbose_name)


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("at", "kind", "transition", "actor", "actor_role", "message")
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("from → to"))
    def transition(self, obj):
        if not (obj.from_status or obj.to_status):
            return ""
        return f"{obj.get_from_status_display() or '—'} → {obj.get_to_status_display() or '—'}"


# --- Orders ------------------------------------------------------------------------------------------------------


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "placed",
        "customer",
        "status",
        "payment",
        "delivery",
        "total_money",
        "is_paid",
        "cancellation_flag",
    )
    list_filter = (
        "status",
        PaymentMethodFilter,
        "delivery_method",
        CancellationRequestedFilter,
        "placed_at",
    )
    date_hierarchy = "placed_at"
    search_fields = ("number", "email", "phone", "full_name")
    search_help_text = _("Order number, e-mail, phone or name.")
    list_select_related = ("city",)
    list_per_page = 50
    inlines = (OrderLineInline, OrderEventInline)
    actions = (
        "confirm_selected",
        "refuse_selected",
        "cancel_selected",
        "assemble_selected",
        "ship_selected",
        "deliver_selected",
        "refused_at_delivery_selected",
        "complete_selected",
        "cod_paid_selected",
    )
    fieldsets = (
        (None, {"fields": ("number", "status", "placed_at", "processing_from", "user", "language")}),
        (_("Customer"), {"fields": ("full_name", "email", "phone")}),
        (
            _("Delivery"),
            {
                "fields": (
                    "delivery_method",
                    "city",
                    "delivery_address_text",
                    "pickup_point",
                    ("eta_from", "eta_to"),
                    "carrier",
                    "tracking",
                    "comment",
                )
            },
        ),
        (
            _("Totals"),
            {
                "fields": (
                    "goods_total_money",
                    ("discount_kind", "coupon_code", "coupon_released_at"),
                    "discount_total_money",
                    "delivery_cost_money",
                    "total_money",
                    "payment",
                    ("paid_amount_money", "paid_at"),
                )
            },
        ),
        (_("Progress"), {"fields": ("confirmed_at", "shipped_at", "delivered_at", "closed_at")}),
        (_("Cancellation"), {"fields": ("cancellation_requested_at", "cancellation_reason")}),
        (_("Evidence"), {"fields": ("terms_version", "placed_ip"), "classes": ("collapse",)}),
    )

    # -- frozen: nobody adds, edits or deletes orders through the admin (ORD-3) ----------------------------------

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.fieldsets for group in options["fields"] for field in _flat(group)]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the actions below move an order; its frozen data is never edited

    def has_delete_permission(self, request, obj=None):
        return False

    # -- the action permissions (for @admin.action(permissions=...) and the change-page buttons) ------------------

    def _has(self, request, name: str) -> bool:
        return request.user.has_perm(ACTION_PERMISSIONS[name])

    def may(self, request, action: OrderAction) -> bool:
        return getattr(self, f"has_{action.permission}_permission")(request)

    def has_confirm_order_permission(self, request):
        return self._has(request, "confirm_order")

    def has_cancel_order_permission(self, request):
        return self._has(request, "cancel_order")

    def has_ship_order_permission(self, request):
        return self._has(request, "ship_order")

    def has_mark_order_paid_permission(self, request):
        return self._has(request, "mark_order_paid")

    def has_advance_order_permission(self, request):
        return self._has(request, "advance_order")

    # -- list columns ---------------------------------------------------------------------------------------------

    # issue 16: money written as in the shop ("47 090 ₸"), never "47090.00"
    goods_total_money = money_column("goods_total", Order._meta.get_field("goods_total").verbose_name)
    discount_total_money = money_column("discount_total", Order._meta.get_field("discount_total").verbose_name)
    delivery_cost_money = money_column("delivery_cost", Order._meta.get_field("delivery_cost").verbose_name)
    total_money = money_column("total", Order._meta.get_field("total").verbose_name)
    paid_amount_money = money_column("paid_amount", Order._meta.get_field("paid_amount").verbose_name)

    def result_count_text(self, count: int) -> str:
        """Under the list: "14 заказов", with the language's plural forms."""
        return ngettext("%(count)s order", "%(count)s orders", count) % {"count": count}

    class Media:
        # issue 16: the list's columns fit a 1366 px screen next to the filters (money never wraps)
        css = {"all": ("admin/orders_admin.css",)}

    @admin.display(description=_("placed"), ordering="placed_at")
    def placed(self, obj):
        return date_format(timezone.localtime(obj.placed_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("city"), ordering="city__name")
    def delivery(self, obj):
        """The city, with the delivery method under it: one column instead of two."""
        city = obj.city.name if obj.city_id else "—"
        return format_html('{}<br><span class="quiet">{}</span>', city, obj.get_delivery_method_display())

    @admin.display(description=_("customer"), ordering="full_name")
    def customer(self, obj):
        return format_html('{}<br><span class="quiet">{}</span>', obj.full_name, obj.email)

    @admin.display(description=_("payment method"), ordering="payment_method")
    def payment(self, obj):
        return payment_label(obj.payment_method)

    @admin.display(description=_("paid"), boolean=True)
    def is_paid(self, obj):
        return obj.paid_amount >= obj.total

    @admin.display(description=_("cancellation requested"), ordering="cancellation_requested_at")
    def cancellation_flag(self, obj):
        """When the customer asked to cancel (ORD-6); blank when they did not, so the requests stand out."""
        if obj.cancellation_requested_at is None:
            return ""
        when = date_format(timezone.localtime(obj.cancellation_requested_at), "SHORT_DATETIME_FORMAT")
        return format_html('<strong class="cancellation-requested">{}</strong>', when)

    @admin.display(description=_("tracking number"))
    def tracking(self, obj):
        url = get_carrier().tracking_url(obj.tracking_number)
        if url:
            return format_html('<a href="{}" rel="noopener" target="_blank">{}</a>', url, obj.tracking_number)
        return obj.tracking_number or "—"

    # -- search: a phone number however it is typed ("8 701 123 45 67" finds +77011234567) -----------------------

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = normalise_phone(search_term, settings.SHOP_COUNTRY)
        except InvalidPhone:
            return results, may_have_duplicates
        return queryset.filter(Q(pk__in=results.values("pk")) | Q(phone=phone)), may_have_duplicates

    # -- the change page: read-only, with the actions this user may run in this state as buttons ---------------

    def offered_actions(self, request, order) -> list[dict]:
        base = f"admin:{self.opts.app_label}_{self.opts.model_name}_action"
        return [
            {
                "name": action.name,
                "label": action.label,
                "url": reverse(base, args=[order.pk, action.name], current_app=self.admin_site.name),
                "asks": action.form is not None,
            }
            for action in ORDER_ACTIONS.values()
            if self.may(request, action) and action.offered(order)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["order_actions"] = self.offered_actions(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/action/<slug:action>/",
                self.admin_site.admin_view(self.action_view),
                name=f"{prefix}_action",
            ),
            *super().get_urls(),
        ]

    def action_view(self, request, object_id, action):
        """One action on one order, from its change page: POST runs it (after its form, if it asks one)."""
        spec = ORDER_ACTIONS.get(action)
        if spec is None:
            raise Http404
        order = self.get_object(request, unquote(object_id))
        if order is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (self.has_view_permission(request, order) and self.may(request, spec)):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[order.pk],
            current_app=self.admin_site.name,
        )
        if spec.form is None:
            if request.method == "POST":
                self.apply_action(request, spec, [order], {})
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = spec.form(request.POST, orders=[order])
            if form.is_valid():
                self.apply_action(request, spec, [order], form.action_data())
                return HttpResponseRedirect(change_url)
        else:
            form = spec.form(orders=[order])
        return self.render_action_form(request, spec, [order], form, cancel_url=change_url)

    def bulk_action(self, request, queryset, name: str):
        """The same action on the orders ticked in the list; actions that ask something show their page first,
        which posts back here with ``apply``."""
        spec = ORDER_ACTIONS[name]
        orders = list(queryset)
        if spec.form is None:
            self.apply_action(request, spec, orders, {})
            return None
        if "apply" in request.POST:
            form = spec.form(request.POST, orders=orders)
            if form.is_valid():
                self.apply_action(request, spec, orders, form.action_data())
                return None
        else:
            form = spec.form(orders=orders)
        return self.render_action_form(request, spec, orders, form, cancel_url=request.get_full_path(), bulk=True)

    def apply_action(self, request, spec: OrderAction, orders, data: dict) -> None:
        """Run `spec` on each order through the core; an order that cannot take it is named in a warning and
        the others go ahead. Each success is logged in the admin's history (the core writes the OrderEvent)."""
        done = []
        for order in orders:
            try:
                spec.run(order, request.user, data)
            except TransitionError as exc:
                self.message_user(
                    request,
                    gettext("Order %(number)s was not changed: %(reason)s")
                    % {"number": order.number, "reason": exc.message},
                    messages.WARNING,
                )
                continue
            self.log_change(
                request,
                order,
                str(spec.log)
                % {
                    "reason": data.get("reason", ""),
                    "tracking": data.get("tracking", {}).get(order.pk, ""),
                    "amount": order.total,
                },
            )
            done.append(order.number)
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(action)s: done for order %(numbers)s.",
                    "%(action)s: done for %(count)d orders: %(numbers)s.",
                    len(done),
                )
                % {"action": spec.label, "count": len(done), "numbers": ", ".join(done)},
                messages.SUCCESS,
            )

    def render_action_form(self, request, spec, orders, form, *, cancel_url, bulk=False):
        context = {
            **self.admin_site.each_context(request),
            "title": spec.label,
            "opts": self.opts,
            "action": spec,
            "orders": orders,
            "form": form,
            "bulk": bulk,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/orders/order/action_form.html", context)

    # -- bulk actions (each is one of ORDER_ACTIONS) --------------------------------------------------------------

    @admin.action(description=_("Confirm the selected orders"), permissions=["confirm_order"])
    def confirm_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "confirm")

    @admin.action(description=_("Refuse the selected orders…"), permissions=["confirm_order"])
    def refuse_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "refuse")

    @admin.action(description=_("Cancel the selected orders…"), permissions=["cancel_order"])
    def cancel_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "cancel")

    @admin.action(description=_("Mark the selected orders being assembled"), permissions=["advance_order"])
    def assemble_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "assemble")

    @admin.action(description=_("Mark the selected orders shipped…"), permissions=["ship_order"])
    def ship_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "ship")

    @admin.action(description=_("Mark the selected orders delivered"), permissions=["ship_order"])
    def deliver_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "deliver")

    @admin.action(description=_("Mark the selected orders refused at delivery"), permissions=["ship_order"])
    def refused_at_delivery_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "refused_at_delivery")

    @admin.action(description=_("Mark the selected orders completed"), permissions=["advance_order"])
    def complete_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "complete")

    @admin.action(description=_("Mark the selected cash-on-delivery orders paid"), permissions=["mark_order_paid"])
    def cod_paid_selected(self, request, queryset):
        return self.bulk_action(request, queryset, "cod_paid")


# --- Coupons (CPN-1) ---------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "code",
    "kind",
    "value",
    "min_goods_total",
    "valid_from",
    "valid_until",
    "max_uses",
    "max_uses_per_customer",
    "times_used",
    "is_active",
    "batch",
)


def coupons_csv_response(queryset, filename: str) -> StreamingHttpResponse:
    """The coupons as CSV, streamed (a batch may hold 10 000) through the shared export (base.export): UTF-8 with a
    BOM, times in the shop's time zone, a batch label that could start a formula defused."""
    rows = (
        [getattr(coupon, column) for column in CSV_COLUMNS]
        for coupon in queryset.order_by("code").iterator(chunk_size=2000)
    )
    return csv_response(CSV_COLUMNS, rows, filename)


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    form = CouponAdminForm
    list_display = ("code", "kind", "value", "validity", "usage", "is_active", "batch")
    list_filter = ("kind", "is_active", "batch")
    search_fields = ("code", "batch")
    filter_horizontal = ("categories",)
    readonly_fields = ("times_used", "created_at")
    list_per_page = 100
    actions = ("download_csv",)
    fieldsets = (
        (None, {"fields": ("code", "kind", "value", "min_goods_total", "categories")}),
        (_("Validity and limits"), {"fields": ("valid_from", "valid_until", "max_uses", "max_uses_per_customer")}),
        (None, {"fields": ("is_active", "batch", "times_used", "created_at")}),
    )

    @admin.display(description=_("valid"), ordering="valid_until")
    def validity(self, obj):
        local_from, local_until = timezone.localtime(obj.valid_from), timezone.localtime(obj.valid_until)
        return f"{local_from:%Y-%m-%d} – {local_until:%Y-%m-%d}"

    @admin.display(description=_("used / limit"), ordering="times_used")
    def usage(self, obj):
        return f"{obj.times_used} / {obj.max_uses if obj.max_uses is not None else '∞'}"

    def get_changeform_initial_data(self, request):
        """CPN-1: a new coupon is valid from now for the shop's default period (SHOP_COUPON_VALIDITY_DAYS)."""
        initial = super().get_changeform_initial_data(request)
        now = timezone.now().replace(microsecond=0)
        initial.setdefault("valid_from", now)
        initial.setdefault("valid_until", now + timedelta(days=settings.SHOP_COUPON_VALIDITY_DAYS))
        return initial

    @admin.action(description=_("Download the selected codes as CSV"), permissions=["view"])
    def download_csv(self, request, queryset):
        return coupons_csv_response(queryset, f"coupons-{timezone.localdate():%Y%m%d}.csv")

    # -- batch generation ---------------------------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("generate/", wrap(self.generate_view), name=f"{prefix}_generate"),
            path("batch/", wrap(self.batch_view), name=f"{prefix}_batch"),
            path("batch/csv/", wrap(self.batch_csv_view), name=f"{prefix}_batch_csv"),
            *super().get_urls(),
        ]

    def _url(self, name: str, **query) -> str:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", current_app=self.admin_site.name)
        return f"{url}?{urlencode(query)}" if query else url

    def _context(self, request, title: str, **extra) -> dict:
        request.current_app = self.admin_site.name
        return {**self.admin_site.each_context(request), "title": title, "opts": self.opts, **extra}

    def generate_view(self, request):
        """CPN-1: issue N coupons with random codes and the same terms under one batch label."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CouponBatchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                coupons = coupon_services.generate_batch(
                    count=data["count"],
                    batch=data["batch"],
                    prefix=data["prefix"],
                    kind=data["kind"],
                    value=data["value"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    min_goods_total=data["min_goods_total"],
                    max_uses=data["max_uses"],
                    max_uses_per_customer=data["max_uses_per_customer"],
                    categories=data["categories"],
                )
            except coupon_services.CouponBatchError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=coupons,
                    action_flag=ADDITION,
                    change_message=gettext("Generated in batch “%(batch)s”.") % {"batch": data["batch"]},
                )
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d coupon generated in batch “%(batch)s”.",
                        "%(count)d coupons generated in batch “%(batch)s”.",
                        len(coupons),
                    )
                    % {"count": len(coupons), "batch": data["batch"]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._url("batch", batch=data["batch"]))
        context = self._context(
            request, gettext("Generate a batch of coupons"), form=form, media=self.media + form.media
        )
        return TemplateResponse(request, "admin/orders/coupon/generate_batch.html", context)

    def _batch(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        label = request.GET.get("batch", "").strip()
        coupons = Coupon.objects.filter(batch=label)
        if not label or not coupons.exists():
            raise Http404(gettext("No such batch."))
        return label, coupons

    def batch_view(self, request):
        label, coupons = self._batch(request)
        preview_size = 50
        context = self._context(
            request,
            gettext("Batch “%(batch)s”") % {"batch": label},
            batch=label,
            count=coupons.count(),
            preview=list(coupons.order_by("code")[:preview_size]),
            preview_size=preview_size,
            csv_url=self._url("batch_csv", batch=label),
            list_url=self._url("changelist") + "?" + urlencode({"batch": label}),
        )
        return TemplateResponse(request, "admin/orders/coupon/batch.html", context)

    def batch_csv_view(self, request):
        label, coupons = self._batch(request)
        return coupons_csv_response(coupons, f"coupons-{slugify(label) or 'batch'}.csv")


# --- Delivery reference data (DLV-1, DLV-2) ---------------------------------------------------------------------


@admin.register(City)
class CityAdmin(TabbedTranslationAdmin):
    list_display = ("name", "region", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name_ru", "name_kk", "name_en", "region_ru")


@admin.register(DeliveryTariff)
class DeliveryTariffAdmin(admin.ModelAdmin):
    """DLV-2: the table the table-based carrier prices parcels from; costs are edited right in the list."""

    list_display = ("method", "city_or_all", "base_cost", "per_kg", "bulky_surcharge", "free_from", "is_active")
    list_display_links = ("method",)
    list_editable = ("base_cost", "per_kg", "bulky_surcharge", "free_from", "is_active")
    list_filter = ("method", "is_active", ("city", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("city",)
    autocomplete_fields = ("city",)
    fields = ("method", "city", "base_cost", "per_kg", "bulky_surcharge", "free_from", "is_active")

    @admin.display(description=_("city"), ordering="city__name")
    def city_or_all(self, obj):
        return obj.city or gettext("all cities")


@admin.register(PickupPoint)
class PickupPointAdmin(TabbedTranslationAdmin):
    list_display = ("name", "city", "address", "hours", "is_active")
    list_filter = ("is_active", ("city", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name_ru", "name_kk", "name_en", "address_ru")
    list_select_related = ("city",)
    autocomplete_fields = ("city",)


class StoreStockInline(admin.TabularInline):
    model = StoreStock
    extra = 0
    fields = ("variant", "quantity")
    autocomplete_fields = ("variant",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("variant__product")


@admin.register(Store)
class StoreAdmin(TabbedTranslationAdmin):
    """A store and the goods it holds: express same-day delivery (DLV-1) runs where a store has them."""

    list_display = ("name", "city", "address", "is_active")
    list_filter = ("is_active", ("city", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name_ru", "name_kk", "name_en", "address_ru")
    list_select_related = ("city",)
    autocomplete_fields = ("city",)
    inlines = (StoreStockInline,)
