"""Admin for review moderation (CAT-4): moderators approve or reject; what the customer wrote stays theirs."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Review
from .reviews import moderate_reviews


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("product", "customer", "rating", "status", "created_at")
    list_filter = ("status", "rating")
    search_fields = ("product__name_ru", "product__name_kk", "product__name_en", "user__email", "text")
    list_select_related = ("product", "user")
    date_hierarchy = "created_at"
    actions = ("approve", "reject")
    fields = ("product", "user", "rating", "text", "language", "created_at", "status", "moderated_at", "moderated_by")
    readonly_fields = ("product", "user", "rating", "text", "language", "created_at", "moderated_at", "moderated_by")

    @admin.display(description=_("customer"), ordering="user__email")
    def customer(self, obj):
        return obj.user.email

    def has_add_permission(self, request):
        return False  # only customers write reviews, on the site

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.moderated_at = timezone.now()
            obj.moderated_by = request.user
        super().save_model(request, obj, form, change)

    def _moderate(self, request, queryset, status, done):
        count = moderate_reviews(queryset, status=status, moderator=request.user)
        self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected reviews"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Review.Status.APPROVED,
            lambda n: ngettext("%(count)d review approved.", "%(count)d reviews approved.", n),
        )

    @admin.action(description=_("Reject the selected reviews"), permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Review.Status.REJECTED,
            lambda n: ngettext("%(count)d review rejected.", "%(count)d reviews rejected.", n),
        )
