"""Admin for support tickets (SUP-1, SUP-2): the support queue. Staff triage (topic, status, assignee) and answer
in the ticket's thread (the reply is mailed to the customer in their language); what the customer wrote stays as
they wrote it. A ticket links to the customer's account and to the order it names."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from base.request_text import RefusesUnsafeText

from .models import SupportReply, SupportTicket
from .support_services import reply_to_ticket

CUSTOMER_FIELDS = ("name", "email", "phone", "order_number", "message")


class ReplyForm(RefusesUnsafeText, forms.ModelForm):
    class Meta:
        model = SupportReply
        fields = ("message",)
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "cols": 80})}


class SupportReplyInline(admin.StackedInline):
    """The ticket's thread: earlier replies read-only (they are what the customer received), one empty form to
    answer. Saving the ticket with text in it sends the reply (SupportTicketAdmin.save_formset)."""

    model = SupportReply
    form = ReplyForm
    extra = 1
    max_num = None
    can_delete = False
    fields = ("message", "author", "created_at", "mailed_to")
    readonly_fields = ("author", "created_at", "mailed_to")
    verbose_name = _("reply")
    verbose_name_plural = _("replies to the customer")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        return False  # a sent reply is never edited

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupportTicket)
class SupportTicketAdmin(admin.ModelAdmin):
    list_display = ("number", "created_at", "topic", "status", "assignee", "name", "contact")
    list_display_links = ("number",)
    list_editable = ("status", "assignee")
    list_filter = ("status", "topic", ("assignee", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "name", "email", "phone", "order_number", "message")
    list_select_related = ("assignee",)
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = (SupportReplyInline,)
    fieldsets = (
        (None, {"fields": ("number", "created_at", "updated_at", "topic", "status", "assignee")}),
        (
            _("From the customer"),
            {"fields": (*CUSTOMER_FIELDS, "customer", "order", "language", "ip_address")},
        ),
    )
    readonly_fields = (
        "number",
        "created_at",
        "updated_at",
        *CUSTOMER_FIELDS,
        "customer",
        "order",
        "language",
        "ip_address",
    )

    def result_count_text(self, count: int) -> str:
        return ngettext("%(count)s ticket", "%(count)s tickets", count) % {"count": count}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "assignee" and field is not None:
            # The list's editable assignee column would query the staff once per row: once per request is enough.
            if not hasattr(request, "_assignee_choices"):
                request._assignee_choices = list(field.choices)
            field.choices = request._assignee_choices
        return field

    @admin.display(description=_("contact"))
    def contact(self, obj):
        return " · ".join(c for c in (obj.email, obj.phone) if c)

    @admin.display(description=_("customer"))
    def customer(self, obj):
        """The customer's account; for a guest, the accounts with the e-mail they gave (they may have one)."""
        if obj.user_id:
            url = reverse("admin:accounts_user_change", args=[obj.user_id], current_app=self.admin_site.name)
            return format_html('<a href="{}">{}</a>', url, obj.user.email)
        if obj.email:
            url = reverse("admin:accounts_user_changelist", current_app=self.admin_site.name)
            return format_html(
                '<a href="{}?{}">{}</a>', url, urlencode({"q": obj.email}), gettext("find an account by e-mail")
            )
        return "—"

    @admin.display(description=_("order"))
    def order(self, obj):
        """The order the customer named, as the orders list filtered to that number (any letter case)."""
        number = obj.order_number.strip()
        if not number:
            return "—"
        url = reverse("admin:orders_order_changelist", current_app=self.admin_site.name)
        return format_html('<a href="{}?{}">{}</a>', url, urlencode({"number__iexact": number}), number)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def save_formset(self, request, form, formset, change):
        if formset.model is not SupportReply:
            return super().save_formset(request, form, formset, change)
        # Only new replies come back (sent ones are read-only): each goes through the service, which mails it.
        for draft in formset.save(commit=False):
            reply = reply_to_ticket(ticket=form.instance, author=request.user, message=draft.message)
            if reply.mailed_to:
                text = gettext("The reply was mailed to %(email)s.") % {"email": reply.mailed_to}
                self.message_user(request, text, messages.SUCCESS)
            else:
                text = gettext("The ticket has no e-mail: the reply is kept in the thread; call the customer.")
                self.message_user(request, text, messages.WARNING)
        return None

    def has_add_permission(self, request):
        return False  # tickets come from the contact form, which numbers them and sends the acknowledgement
