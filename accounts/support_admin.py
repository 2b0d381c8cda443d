"""Admin for support tickets (SUP-1, SUP-2): the support queue. Staff triage (topic, status, assignee); what
the customer wrote stays as they wrote it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SupportTicket

CUSTOMER_FIELDS = ("name", "email", "phone", "order_number", "message")


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
    fieldsets = (
        (None, {"fields": ("number", "created_at", "updated_at", "topic", "status", "assignee")}),
        (_("From the customer"), {"fields": (*CUSTOMER_FIELDS, "user", "language", "ip_address")}),
    )
    readonly_fields = ("number", "created_at", "updated_at", *CUSTOMER_FIELDS, "user", "language", "ip_address")

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

    def has_add_permission(self, request):
        return False  # tickets come from the contact form, which numbers them and sends the acknowledgement
