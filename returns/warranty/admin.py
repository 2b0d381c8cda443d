"""Warranty claims in the admin (SUP-2): the queue, overdue first, with filters and search; on each claim the WAR-5
presumption, the repairs count of the item, the days left of the one-month clock and the attachments; actions that
send the item for examination, resolve the claim by a remedy or reject it. Support acts
(returns.act_on_warrantyclaim); Finance only views. Everything is written through the services, which log an event
per action, and the admin's own history records who did it."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from base.request_text import clean_text

from .. import documents as pdf
from . import deadlines, documents, events, policy, services
from .forms import ExamineForm, RejectForm, ResolveForm
from .models import WarrantyAttachment, WarrantyClaim, WarrantyClaimEvent
from .views import attachment_response

ACT_PERMISSION = "returns.act_on_warrantyclaim"


class OverdueFilter(admin.SimpleListFilter):
    title = _("one-month clock")
    parameter_name = "clock"

    def lookups(self, request, model_admin):
        return (("overdue", _("Overdue")), ("week", _("Due within 7 days")))

    def queryset(self, request, queryset):
        today = deadlines.today()
        open_claims = queryset.filter(status__in=WarrantyClaim.OPEN_STATUSES)
        if self.value() == "overdue":
            return open_claims.filter(due_by__lt=today)
        if self.value() == "week":
            return open_claims.filter(due_by__gte=today, due_by__lte=today.fromordinal(today.toordinal() + 7))
        return queryset


class AttachmentInline(admin.TabularInline):
    model = WarrantyAttachment
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("download", "content_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:returns_warrantyclaim_attachment", args=[obj.claim_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = WarrantyClaimEvent
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("at", "kind", "actor", "message")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _repairs_subquery():
    """WAR-6: the other claims on the same order line resolved by a repair (the list's "repairs" column)."""
    return Subquery(
        WarrantyClaim.objects.filter(
            order_line_id=OuterRef("order_line_id"), status="resolved", remedy=policy.Remedy.REPAIR.value
        )
        .exclude(pk=OuterRef("pk"))
        .values("order_line_id")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


class WarrantyClaimAdmin(admin.ModelAdmin):
    list_display = ("number", "product", "order", "status", "presumption", "repairs", "days_left", "due_by")
    list_filter = ("status", OverdueFilter, "defect_presumed", "preferred_remedy", "remedy", "created_at")
    search_fields = (
        "number",
        "order__number",
        "contact_email",
        "contact_name",
        "contact_phone",
        "serial_number",
        "order_line__product_name",
        "order_line__sku",
        "service_reference",
    )
    search_help_text = _(
        "Claim or order number, customer's name, e-mail or phone, product, SKU, serial number, "
        "service centre reference."
    )
    list_select_related = ("order", "order_line")
    date_hierarchy = "created_at"
    inlines = (AttachmentInline, EventInline)
    readonly_fields = (
        "number",
        "status",
        "order",
        "order_line",
        "user",
        "serial_number",
        "description",
        "defect_found_on",
        "manufactured_on",
        "preferred_remedy",
        "amount_claimed",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_address",
        "language",
        "created_at",
        "due_by",
        "days_left",
        "presumption",
        "repairs",
        "refund_right",
        "warranty_starts_on",
        "warranty_start_basis",
        "warranty_last_day",
        "service_centre",
        "service_reference",
        "sent_to_service_on",
        "back_from_service_on",
        "remedy",
        "remedy_amount",
        "exchange_line",
        "refund",
        "resolution_note",
        "rejection_reason",
        "resolved_at",
        "overdue_flagged_at",
        "documents",
    )
    fieldsets = (
        (None, {"fields": ("number", "status", "due_by", "days_left", "presumption", "repairs", "refund_right")}),
        (
            _("Claim"),
            {
                "fields": (
                    "order",
                    "order_line",
                    "serial_number",
                    "description",
                    "defect_found_on",
                    "manufactured_on",
                    "preferred_remedy",
                    "amount_claimed",
                    "created_at",
                    "documents",
                )
            },
        ),
        (
            _("Customer"),
            {"fields": ("user", "contact_name", "contact_email", "contact_phone", "contact_address", "language")},
        ),
        (_("Warranty"), {"fields": ("warranty_starts_on", "warranty_start_basis", "warranty_last_day")}),
        (
            _("Examination and remedy"),
            {
                "fields": (
                    "service_centre",
                    "service_reference",
                    "sent_to_service_on",
                    "back_from_service_on",
                    "remedy",
                    "remedy_amount",
                    "exchange_line",
                    "refund",
                    "resolution_note",
                    "rejection_reason",
                    "resolved_at",
                    "overdue_flagged_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        """Open claims first, the earliest deadline (so the overdue) on top; closed ones after. The
        annotations come before the ordering that names them (ModelAdmin's own get_queryset orders first)."""
        queryset = WarrantyClaim._default_manager.get_queryset().annotate(
            open_rank=Case(
                When(status__in=WarrantyClaim.OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            repairs_before=_repairs_subquery(),
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ("open_rank", "due_by", "-created_at", "pk")

    @admin.display(description=_("product"), ordering="order_line__product_name")
    def product(self, obj):
        return obj.order_line.product_name

    @admin.display(description=_("defect presumed (WAR-5)"), boolean=True, ordering="defect_presumed")
    def presumption(self, obj):
        return obj.defect_presumed

    @admin.display(description=_("repairs of this item"))
    def repairs(self, obj):
        return getattr(obj, "repairs_before", None) or 0

    @admin.display(description=_("days left"), ordering="due_by")
    def days_left(self, obj):
        if not obj.is_open:
            return "—"
        left = policy.days_left(obj.due_by, deadlines.today())
        if left < 0:
            return format_html(
                '<strong class="overdue">{}</strong>', gettext("overdue by %(n)d d.") % {"n": -left}
            )
        return left

    @admin.display(description=_("refund right (WAR-6)"), boolean=True)
    def refund_right(self, obj):
        return services.refund_right(obj)

    @admin.display(description=_("documents"))
    def documents(self, obj):
        links = [(reverse("admin:returns_warrantyclaim_document", args=[obj.pk, "complaint"]), gettext("Claim (PDF)"))]
        if obj.status == WarrantyClaim.Status.RESOLVED:
            links.append(
                (
                    reverse("admin:returns_warrantyclaim_document", args=[obj.pk, "act"]),
                    gettext("Act of satisfaction (PDF)"),
                )
            )
        if obj.refund_id:
            links.append(
                (
                    reverse("admin:returns_warrantyclaim_document", args=[obj.pk, "refund"]),
                    gettext("Refund receipt (PDF)"),
                )
            )
        return format_html(" · ".join(['<a href="{}">{}</a>'] * len(links)), *[part for link in links for part in link])

    def has_add_permission(self, request):
        return False  # claims come from customers' forms

    def has_change_permission(self, request, obj=None):
        return False  # changed only through the actions below (each audited)

    def has_delete_permission(self, request, obj=None):
        return False  # the register keeps every claim

    def may_act(self, request) -> bool:
        return request.user.has_perm(ACT_PERMISSION)

    # --- the actions on one claim ----------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.is_open and self.may_act(request):
            context["claim_actions"] = [
                (reverse("admin:returns_warrantyclaim_act", args=[obj.pk, name]), label)
                for name, label in (
                    ("examine", gettext("Send for examination")),
                    ("resolve", gettext("Resolve by a remedy")),
                    ("reject", gettext("Reject")),
                )
            ]
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/act/<slug:action>/", wrap(self.action_view), name="returns_warrantyclaim_act"),
            path(
                "<path:object_id>/document/<slug:kind>/",
                wrap(self.document_view),
                name="returns_warrantyclaim_document",
            ),
            path(
                "<path:object_id>/file/<int:attachment_id>/",
                wrap(self.attachment_view),
                name="returns_warrantyclaim_attachment",
            ),
            *super().get_urls(),
        ]

    FORMS = {"examine": ExamineForm, "resolve": ResolveForm, "reject": RejectForm}
    TITLES = {
        "examine": _("Send for examination"),
        "resolve": _("Resolve by a remedy"),
        "reject": _("Reject the claim"),
    }

    def _claim_or_404(self, request, object_id):
        claim = self.get_object(request, unquote(object_id))
        if claim is None or not self.has_view_permission(request, claim):
            raise Http404
        return claim

    def action_view(self, request, object_id, action):
        if action not in self.FORMS:
            raise Http404
        claim = self._claim_or_404(request, object_id)
        if not self.may_act(request):
            raise PermissionDenied
        change_url = reverse("admin:returns_warrantyclaim_change", args=[claim.pk])
        query = clean_text(request.GET.get("q") or "", max_length=100) or ""
        form = self.FORMS[action](request.POST or None, **self.form_kwargs(request, claim, action, query))
        if request.method == "POST" and form.is_valid():
            try:
                message = self._run(request, claim, action, form.cleaned_data)
            except (services.ClaimStateError, ValueError) as error:
                form.add_error(None, str(error))
            else:
                self.log_change(request, claim, message)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{self.TITLES[action]}: {claim.number}",
            "opts": self.opts,
            "claim": claim,
            "form": form,
            "cancel_url": change_url,
            "searches_catalogue": action == "resolve",
            "query": query,
            "repairs": services.repairs_count(claim),
            "refund_right": services.refund_right(claim),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/returns/warrantyclaim/action_form.html", context)

    def _run(self, request, claim, action, data) -> str:
        if action == "examine":
            services.send_for_examination(
                claim=claim,
                actor=request.user,
                service_centre=data["service_centre"],
                reference=data["reference"],
                sent_on=data["sent_on"],
            )
            return gettext("Claim %(number)s sent for examination.") % {"number": claim.number}
        if action == "reject":
            services.reject(claim=claim, actor=request.user, reason=data["reason"])
            return gettext("Claim %(number)s rejected.") % {"number": claim.number}
        if data["remedy"] in ResolveForm.EXCHANGES:
            return self.resolve_by_exchange(request, claim, data)
        resolved = services.resolve(
            claim=claim,
            actor=request.user,
            remedy=data["remedy"],
            note=data["note"],
            amount=data["amount"],
            back_on=data["back_on"],
            service_reference=data["service_reference"],
        )
        return gettext("Claim %(number)s resolved: %(remedy)s.") % {
            "number": claim.number,
            "remedy": resolved.get_remedy_display(),
        }

    def form_kwargs(self, request, claim, action, query) -> dict:
        """What the action's form needs beyond the POST: the resolve form's replacement choices (WAR-4)."""
        return {}

    def resolve_by_exchange(self, request, claim, data) -> str:
        """WAR-4: the exchange remedies go through the exchange service, which uses this package's services and so
        sits above it (`returns.exchange`); `returns.admin` registers the subclass that calls it."""
        raise ValueError(gettext("Exchanges are not available here."))

    def document_view(self, request, object_id, kind):
        claim = self._claim_or_404(request, object_id)
        language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else claim.language
        if kind == "complaint":
            data, name = documents.complaint_form_pdf(claim, language=language), documents.complaint_filename(claim)
        elif kind == "act" and claim.status == WarrantyClaim.Status.RESOLVED:
            data, name = documents.act_pdf(claim, language=language), documents.act_filename(claim)
        elif kind == "refund" and claim.refund_id:
            data, name = pdf.refund_receipt_pdf(claim.refund, language=language), f"{claim.refund.number}.pdf"
        else:
            raise Http404
        events.document_downloaded(claim=claim, actor=request.user, message=name)
        response = HttpResponse(data, content_type=pdf.PDF)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def attachment_view(self, request, object_id, attachment_id):
        claim = self._claim_or_404(request, object_id)
        attachment = claim.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        return attachment_response(attachment)


# Registered by returns.admin, as `ExchangingWarrantyClaimAdmin` (the exchange remedy, WAR-4).
