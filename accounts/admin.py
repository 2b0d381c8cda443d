"""Admin for users (e-mail login, no username) with their saved addresses, and the read-only register of
accepted terms (ACC-1 evidence)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Address, TermsAcceptance, User


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0
    fields = (
        ("label", "is_default", "created_at"),
        ("recipient", "phone"),
        ("city", "street", "apartment", "postal_code"),
        "comment",
    )
    # Which address is the default is the customer's choice (exactly one, see accounts.services).
    readonly_fields = ("is_default", "created_at")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "phone", "is_staff", "is_active", "date_joined", "anonymised_at")
    list_filter = ("is_staff", "is_superuser", "is_active", "marketing_opt_in", "preferred_language", "groups")
    search_fields = ("email", "full_name", "first_name", "last_name", "phone")
    inlines = (AddressInline,)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "first_name", "last_name", "phone", "preferred_language")}),
        (_("Marketing"), {"fields": ("marketing_opt_in", "marketing_opt_in_changed_at")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("Account deletion"), {"fields": ("deletion_requested_at", "anonymised_at")}),
    )
    readonly_fields = ("marketing_opt_in_changed_at", "deletion_requested_at", "anonymised_at")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        if "marketing_opt_in" in form.changed_data:  # the time of a consent change is evidence, whoever makes it
            obj.marketing_opt_in_changed_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    """Evidence is never created, edited or deleted by hand: staff may only look."""

    list_display = ("email", "terms_version", "context", "age_confirmed", "accepted_at", "ip_address", "user")
    list_filter = ("context", "terms_version")
    search_fields = ("email",)
    list_select_related = ("user",)
    date_hierarchy = "accepted_at"
    fields = ("user", "email", "terms_version", "context", "age_confirmed", "accepted_at", "ip_address", "user_agent")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import support_admin  # noqa: E402, F401  (registers the support ticket admin)
