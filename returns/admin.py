"""Returns and refunds admin (SUP-2, STAFF-1): the returns queue where Support decides requests (received, inspect:
accept / deduct / reject / exchange), and the refunds, read-only, whose money is sent only from a confirmation page
(amount, breakdown, method; a part allowed, never more than is left) or, for cash, marked done by Finance with the
bank transfer's reference, and whose receipt (PDF) staff who see them download. Every action goes through the
services (event log) and the admin's history."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from base.money import format_money, money_column
from base.request_text import clean_text
from base.workdays import shop_tz
from orders.admin import PaymentMethodFilter, payment_label
from payments.services import PaymentError

from . import documents, exchange, policy, requests, services
from .admin_forms import InspectForm, SendRefundForm, TransferDoneForm
from .models import Exchange, Refund, RefundLine, ReturnEvent, ReturnLine, ReturnPhoto, ReturnRequest, ReturnState


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
    change_form_template = "admin/returns/refund/change_form.html"
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

    def has_refund_payment_permission(self, request):
        return request.user.has_perm("payments.refund_payment")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["refund_left"] = services.refund_left(obj)
            context["may_send"] = (
                self.has_refund_payment_permission(request)
                and services.sends_through_provider(obj)
                and context["refund_left"] > 0
            )
            context["may_mark_done"] = (
                request.user.has_perm("returns.mark_cash_refund_done")
                and not services.sends_through_provider(obj)
                and obj.status != Refund.Status.DONE
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/send/", wrap(self.send_view), name="returns_refund_send"),
            path("<path:object_id>/transfer-done/", wrap(self.transfer_done_view), name="returns_refund_transfer_done"),
            path("<path:object_id>/receipt.pdf", wrap(self.receipt_view), name="returns_refund_receipt"),
            *super().get_urls(),
        ]

    def _refund_page(self, request, refund, form, *, title, button, warning=""):
        change_url = reverse("admin:returns_refund_change", args=[refund.pk], current_app=self.admin_site.name)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "button": button,
            "opts": self.opts,
            "refund": refund,
            "lines": refund.lines.select_related("order_line"),
            "left": services.refund_left(refund),
            "method": payment_label(refund.payment_method),
            "return_request": ReturnRequest.objects.filter(refund=refund).first(),
            "form": form,
            "warning": warning,
            "cancel_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/returns/refund/confirm.html", context)

    def send_view(self, request, object_id):
        """REF-4, REF-5: the confirmation page — amount, breakdown and method shown before any money moves; a part
        may be sent, never more than is left. Sending twice (two staff at once) sends once."""
        refund = self.get_object(request, unquote(object_id))
        if refund is None:
            raise Http404
        if not (self.has_view_permission(request, refund) and self.has_refund_payment_permission(request)):
            raise PermissionDenied
        change_url = reverse("admin:returns_refund_change", args=[refund.pk], current_app=self.admin_site.name)
        left = services.refund_left(refund)
        if left <= 0:
            self.message_user(request, _("This refund has already been sent."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        form = SendRefundForm(request.POST or None, left=left)
        if request.method == "POST" and form.is_valid():
            try:
                results = services.send_refund(refund=refund, actor=request.user, amount=form.cleaned_data["amount"])
            except PaymentError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            refund.refresh_from_db()
            if refund.last_error:
                self.message_user(
                    request,
                    _("The provider did not confirm the refund: %(error)s. It stays due; the sweep retries it.")
                    % {"error": refund.last_error},
                    messages.WARNING,
                )
            else:
                self.message_user(request, _("The refund was sent."), messages.SUCCESS)
            self.log_change(request, refund, f"refund sent: {[str(r.amount) for r in results]}")
            return HttpResponseRedirect(change_url)
        return self._refund_page(request, refund, form, title=_("Send the refund"), button=_("Send the money"))

    def transfer_done_view(self, request, object_id):
        """REF-4: Finance marks a cash or cash-on-delivery refund done with the bank transfer's reference."""
        refund = self.get_object(request, unquote(object_id))
        if refund is None:
            raise Http404
        if not (self.has_view_permission(request, refund) and request.user.has_perm("returns.mark_cash_refund_done")):
            raise PermissionDenied
        change_url = reverse("admin:returns_refund_change", args=[refund.pk], current_app=self.admin_site.name)
        form = TransferDoneForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.mark_cash_refund_done(
                    refund=refund, bank_reference=form.cleaned_data["reference"], actor=request.user
                )
            except PaymentError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.log_change(request, refund, f"bank transfer done: {form.cleaned_data['reference']}")
            self.message_user(request, _("The refund is marked done."), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        return self._refund_page(request, refund, form, title=_("Bank transfer made"), button=_("Mark the refund done"))

    def receipt_view(self, request, object_id):
        """The refund receipt as a PDF (returns.documents), for staff who may view refunds (Support, Finance), in the
        staff member's language; anyone else gets 403 before the refund is looked up, a missing refund 404. Each
        download is written to the refund's admin history."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        refund = self.get_object(request, unquote(object_id))
        if refund is None:
            raise Http404
        language = getattr(request, "LANGUAGE_CODE", None) or refund.order.language
        response = HttpResponse(documents.refund_receipt_pdf(refund, language=language), content_type=documents.PDF)
        response["Content-Disposition"] = f'attachment; filename="{documents.refund_receipt_filename(refund)}"'
        self.log_change(request, refund, "refund receipt downloaded")
        return response


# --- Return requests (SUP-2) --------------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    """RET-7, REF-5: late on the shop's side — an inspection past its deadline or a refund past its own."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.filter(requests.overdue_filter(timezone.localtime(timezone.now(), shop_tz()).date()))


class OrderPaymentMethodFilter(PaymentMethodFilter):
    def queryset(self, request, queryset):
        return queryset.filter(order__payment_method=self.value()) if self.value() else queryset


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReturnLineInline(_ReadOnlyInline):
    model = ReturnLine
    fields = ("product", "sku", "quantity", "paid")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order_line")

    @admin.display(description=_("product"))
    def product(self, obj):
        return obj.order_line.product_name

    @admin.display(description=_("SKU"))
    def sku(self, obj):
        return obj.order_line.sku

    @admin.display(description=_("line paid, KZT"))
    def paid(self, obj):
        return f"{obj.order_line.paid_total} / {obj.order_line.quantity}"


class ReturnPhotoInline(_ReadOnlyInline):
    model = ReturnPhoto
    fields = ("preview", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return format_html(
            '<a href="{0}"><img class="return-photo" src="{0}" alt="{1}"></a>',
            obj.image.url,
            _("Photo of the returned goods"),
        )


class ReturnEventInline(_ReadOnlyInline):
    model = ReturnEvent
    fields = ("at", "action", "from_state", "to_state", "actor", "actor_role", "quantities", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ExchangeInline(_ReadOnlyInline):
    """RET-8/WAR-4: the exchange made on a request or claim — its exchange order, the replacement and how the
    difference was settled (made only through the inspect / remedy step, never typed in)."""

    model = Exchange
    fields = (
        "exchange_order",
        "replacement",
        "quantity",
        "credit",
        "replacement_amount",
        "surcharge",
        "refund",
        "status",
        "created_by",
        "created_at",
        "completed_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "line", "refund", "created_by")

    @admin.display(description=_("exchange order"))
    def exchange_order(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[obj.order_id]), obj.order)

    @admin.display(description=_("replacement"))
    def replacement(self, obj):
        return f"{obj.line.product_name} ({obj.line.sku})"


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    """SUP-2: the returns queue (overdue first), each request read-only with what staff may do to it now as
    buttons; every action goes through `returns.requests` (which writes the ReturnEvent) and the admin's log."""

    list_display = (
        "number",
        "order",
        "email",
        "state",
        "reason",
        "method",
        "requested",
        "send_back_by",
        "inspect_by",
        "refund_amount",
    )
    list_filter = ("state", OverdueFilter, OrderPaymentMethodFilter, "reason")
    search_fields = ("number", "order__number", "email", "order__phone")
    search_help_text = _("Request number, order number, customer's e-mail or phone.")
    list_select_related = ("order", "refund")
    inlines = (ReturnLineInline, ReturnPhotoInline, ExchangeInline, ReturnEventInline)
    change_form_template = "admin/returns/returnrequest/change_form.html"

    class Media:
        css = {"all": ("returns/queue.css",)}  # the queue's columns unbroken at 390 and 1366 px (item 4)

    fields = (
        "number",
        "order",
        "email",
        "state",
        "reason",
        "description",
        "unused",
        "seals_and_labels_intact",
        "original_packaging",
        "complete_set",
        "shipping",
        "tracking_number",
        "iban",
        "created_at",
        "send_back_by",
        "shipped_at",
        "received_at",
        "inspect_by",
        "inspected_at",
        "deduction_amount",
        "deduction_reason",
        "rejection_reason",
        "closed_at",
        "refund",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # overdue first (inspections past their day), then the oldest open requests
        return super().get_queryset(request).order_by(F("inspect_by").asc(nulls_last=True), "created_at")

    @admin.display(description=_("payment method"), ordering="order__payment_method")
    def method(self, obj):
        return payment_label(obj.order.payment_method)

    @admin.display(description=_("requested at"), ordering="created_at")
    def requested(self, obj):
        """Shop-local day and time, short: "02.12.2026 23:30" (the long form wrapped over three lines)."""
        return formats.date_format(timezone.localtime(obj.created_at, shop_tz()), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("refund, KZT"))
    def refund_amount(self, obj):
        return obj.refund.amount if obj.refund_id else "—"

    def has_add_permission(self, request):
        return False  # customers make requests; staff decide them

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_decide(self, request) -> bool:
        return request.user.has_perm("returns.decide_return")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.may_decide(request):
            base = "admin:returns_returnrequest_"
            context["return_actions"] = [
                {"label": label, "url": reverse(base + name, args=[obj.pk]), "asks": asks}
                for action, name, label, asks in (
                    (policy.RECEIVE, "receive", _("Mark the goods received"), False),
                    (policy.ACCEPT, "inspect", _("Inspect"), True),
                )
                if action in policy.allowed_actions(obj.state)
            ]
            if obj.refund_id:
                context["return_actions"].append(
                    {
                        "label": _("Refund"),
                        "url": reverse("admin:returns_refund_change", args=[obj.refund_id]),
                        "asks": True,
                    }
                )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/receive/", wrap(self.receive_view), name="returns_returnrequest_receive"),
            path("<path:object_id>/inspect/", wrap(self.inspect_view), name="returns_returnrequest_inspect"),
            *super().get_urls(),
        ]

    def _request_or_deny(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not (self.has_view_permission(request, obj) and self.may_decide(request)):
            raise PermissionDenied
        return obj, reverse("admin:returns_returnrequest_change", args=[obj.pk], current_app=self.admin_site.name)

    def receive_view(self, request, object_id):
        obj, change_url = self._request_or_deny(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        try:
            requests.mark_received(request=obj, actor=request.user)
        except requests.ReturnError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.log_change(request, obj, "goods received")
            self.message_user(request, _("The goods are marked received."), messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def inspect_view(self, request, object_id):
        """RET-7/RET-8: accept, accept with a documented deduction, reject with the reason, or exchange for the same
        item or another picked from the catalogue (searched with the page's own GET form, no JavaScript needed)."""
        obj, change_url = self._request_or_deny(request, object_id)
        lines = list(obj.lines.select_related("order_line__variant__product"))
        query = clean_text(request.GET.get("q") or "", max_length=100) or ""
        choices = exchange.replacement_choices(
            query,
            near=lines[0].order_line.variant if lines else None,
            chosen=request.POST.get("replacement") if request.method == "POST" else None,
        )
        form = InspectForm(
            request.POST or None,
            replacements=choices,
            initial={"quantity": sum(line.quantity for line in lines) or None},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            decision, reason = data["decision"], data.get("reason") or ""
            try:
                if decision in (InspectForm.ACCEPT, InspectForm.DEDUCT):
                    obj = requests.accept_return(
                        request=obj,
                        actor=request.user,
                        deduction=data.get("deduction") if decision == InspectForm.DEDUCT else 0,
                        deduction_reason=reason if decision == InspectForm.DEDUCT else "",
                        on_proof_of_shipment=obj.state == ReturnState.AWAITING_GOODS,
                    )
                elif decision == InspectForm.REJECT:
                    obj = requests.reject_return(request=obj, reason=reason, actor=request.user)
                else:
                    made = exchange.exchange_for_return(
                        request=obj,
                        variant_id=data["replacement"],
                        quantity=data["quantity"],
                        actor=request.user,
                        note=reason,
                    )
                    obj = ReturnRequest.objects.get(pk=obj.pk)
                    reason = f"{made.order.number} {made.line.sku} × {made.quantity} {reason}".strip()
                    if made.status == made.Status.AWAITING_PAYMENT:
                        self.message_user(
                            request,
                            _(
                                "The customer is asked to pay the difference of %(amount)s; the exchange completes "
                                "when it is paid."
                            )
                            % {"amount": format_money(made.surcharge)},
                            messages.INFO,
                        )
            except requests.ReturnError as error:
                form.add_error(None, error.message)
            else:
                self.log_change(request, obj, f"inspected: {decision} {reason}".strip())
                self.message_user(request, _("The decision is recorded."), messages.SUCCESS)
                if obj.refund_id:
                    return HttpResponseRedirect(reverse("admin:returns_refund_change", args=[obj.refund_id]))
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Inspect return %(number)s") % {"number": obj.number},
            "opts": self.opts,
            "return_request": obj,
            "lines": lines,
            "form": form,
            "query": query,
            "cancel_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/returns/returnrequest/inspect.html", context)


from .report import admin as refund_report_admin  # noqa: E402, F401  (issue 13: the finance refund report)
from .warranty import admin as warranty_admin  # noqa: E402  (issue 12: the warranty claims queue)
from .warranty.models import WarrantyClaim  # noqa: E402


class ExchangingWarrantyClaimAdmin(warranty_admin.WarrantyClaimAdmin):
    """The warranty claims queue with its exchange remedy (WAR-4): the replacement picked from the catalogue, the
    exchange made by `returns.exchange` (stock, the exchange order, the difference settled). Defined here because
    the exchange service uses the warranty's services, so the warranty package may not import it back (no import
    cycles inside an app)."""

    inlines = (*warranty_admin.WarrantyClaimAdmin.inlines, ExchangeInline)

    def form_kwargs(self, request, claim, action, query) -> dict:
        if action != "resolve":
            return {}
        chosen = request.POST.get("replacement") if request.method == "POST" else None
        return {"replacements": exchange.replacement_choices(query, near=claim.order_line.variant, chosen=chosen)}

    def resolve_by_exchange(self, request, claim, data) -> str:
        try:
            made = exchange.exchange_for_claim(
                claim=claim,
                remedy=data["remedy"],
                variant_id=data["replacement"],
                actor=request.user,
                note=data["note"],
            )
        except exchange.ExchangeRefused as error:
            raise ValueError(error.message) from None
        if made.status == made.Status.AWAITING_PAYMENT:
            return gettext(
                "Claim %(number)s: the customer is asked to pay the difference of %(amount)s for %(product)s; "
                "the claim is resolved when it is paid."
            ) % {"number": claim.number, "amount": format_money(made.surcharge), "product": made.line.product_name}
        return gettext("Claim %(number)s resolved: exchanged for %(product)s (order %(order)s).") % {
            "number": claim.number,
            "product": made.line.product_name,
            "order": made.order.number,
        }


admin.site.register(WarrantyClaim, ExchangingWarrantyClaimAdmin)
