"""Catalogue admin: search, filters, variant and image inlines, translated fields in tabs."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from . import legal, tasks
from .models import Category, Page, Product, ProductImage, SellerDetails, Variant

# Issue 16: the admin's header and page titles say whose shop this is, not "Django administration".
admin.site.site_header = settings.SHOP_NAME
admin.site.site_title = settings.SHOP_NAME
admin.site.index_title = _("Shop administration")
admin.site.enable_nav_sidebar = False  # the list pages need the width more than a second menu


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = (
        "name",
        "parent",
        "position",
        "is_active",
        "returnable",
        "bonus_payable",
        "warranty_months",
    )
    list_filter = ("is_active", "returnable", "bonus_payable", "bonus_earning", "parent")
    list_editable = ("position", "is_active")
    search_fields = ("name_ru", "name_kk", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_ru",)}
    list_select_related = ("parent",)


class VariantInline(TranslationTabularInline):
    model = Variant
    extra = 0
    fields = ("sku", "name", "price", "sale_price", "stock", "weight_kg", "is_bulky", "position")


class ProductImageInline(TranslationTabularInline):
    model = ProductImage
    extra = 0
    fields = ("preview", "image", "alt", "position")
    readonly_fields = ("preview",)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if obj.pk and obj.thumbnail:
            return format_html('<img src="{}" alt="" width="80">', obj.thumbnail.url)
        return "—"


class StockFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("out", _("out of stock")), ("in", _("in stock"))]

    def queryset(self, request, queryset):
        if self.value() == "out":
            return queryset.exclude(variants__stock__gt=0)
        if self.value() == "in":
            return queryset.filter(variants__stock__gt=0).distinct()
        return queryset


class OnSaleFilter(admin.SimpleListFilter):
    title = _("sale")
    parameter_name = "sale"

    def lookups(self, request, model_admin):
        return [("yes", _("on sale"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(variants__sale_price__isnull=False).distinct()
        return queryset


@admin.register(Product)
class ProductAdmin(TabbedTranslationAdmin):
    list_display = (
        "name",
        "category",
        "brand",
        "total_stock",
        "is_active",
        "seasonal",
        "returnable",
        "is_service",
    )
    list_filter = (
        "is_active",
        StockFilter,
        OnSaleFilter,
        "category",
        "seasonal",
        "returnable",
        "bonus_payable",
        "bonus_earning",
        "is_service",
        "brand",
    )
    search_fields = ("name_ru", "name_kk", "name_en", "slug", "brand", "variants__sku")
    prepopulated_fields = {"slug": ("name_ru",)}
    list_select_related = ("category",)
    autocomplete_fields = ("category",)
    inlines = (VariantInline, ProductImageInline)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("category", "name", "slug", "brand", "description", "is_active", "vat_rate")}),
        (
            _("Returns, bonuses, warranty (empty = as the category)"),
            {
                "fields": (
                    "returnable",
                    "non_returnable_reason",
                    "non_returnable_note",
                    "bonus_payable",
                    "bonus_earning",
                    "warranty_months",
                    "is_service",
                    "seasonal",
                    ("season_start_day", "season_start_month"),
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stock_sum=Sum("variants__stock"))

    @admin.display(description=_("in stock"), ordering="stock_sum")
    def total_stock(self, obj):
        return obj.stock_sum or 0


@admin.register(Variant)
class VariantAdmin(TabbedTranslationAdmin):
    """Variants are edited inside their product; this registration serves the SKU search of autocomplete fields
    elsewhere (a store's stock), so it stays out of the admin index."""

    search_fields = ("sku", "product__name_ru", "product__name_kk", "product__name_en")
    list_display = ("sku", "product", "name", "price", "stock")
    list_select_related = ("product",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")

    def get_model_perms(self, request):
        return {}


@admin.register(Page)
class PageAdmin(TabbedTranslationAdmin):
    """Information pages (LEG-1), a tab per language. Saving the published terms with a new version e-mails
    the customers after commit (LEG-2, shop/legal.py); the form says how many beforehand."""

    list_display = ("title", "slug", "version", "position", "is_published", "updated_at")
    list_editable = ("position", "is_published")
    search_fields = ("title_ru", "title_kk", "title_en", "body_ru")
    readonly_fields = ("notified_version", "updated_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.slug == Page.Kind.TERMS and "version" in form.base_fields:
            count = legal.terms_notice_recipients().count()
            form.base_fields["version"].help_text = ngettext(
                "Saving the published terms with a version other than %(version)s e-mails %(count)d customer "
                "about the change, in their language.",
                "Saving the published terms with a version other than %(version)s e-mails %(count)d customers "
                "about the change, each in their language.",
                count,
            ) % {"version": obj.notified_version or obj.version, "count": count}
        return form

    def save_model(self, request, obj, form, change):
        legal.prepare_page_save(page=obj)
        super().save_model(request, obj, form, change)
        if tasks.schedule_terms_notice(page=obj):
            self.message_user(
                request,
                _("Customers will be e-mailed about version %(version)s of the terms.") % {"version": obj.version},
                messages.INFO,
            )


@admin.register(SellerDetails)
class SellerDetailsAdmin(TabbedTranslationAdmin):
    """The seller's details (LEG-3): one row, created by a migration; it can be edited but not added twice or
    deleted, and the list goes straight to it."""

    fieldsets = (
        (None, {"fields": ("company_name", "bin", "legal_address")}),
        (_("Bank details"), {"fields": ("bank_name", "iik", "bik")}),
        (_("Contacts"), {"fields": ("phone", "email", "opening_hours")}),
    )
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        return not SellerDetails.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = SellerDetails.objects.first()
        if row is None:
            return super().changelist_view(request, extra_context)
        return redirect(reverse("admin:shop_sellerdetails_change", args=[row.pk]))


from . import review_admin  # noqa: E402, F401  (registers the review moderation admin)
