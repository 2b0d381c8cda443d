"""Catalogue tables (CAT-1, CAT-2): a category tree, products, their SKUs with stock and prices, images.

Prices are Decimal KZT including VAT. Per-product flags left empty (NULL) follow the product's category.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import policy
from .images import JPEG_TYPE, image_size, make_renditions, make_thumbnail, source_digest, validate_image


class NonReturnableReason(models.TextChoices):
    HYGIENE = "hygiene", _("hygiene: the item touches the body and cannot be resold once opened")
    PERSONALISED = "personalised", _("made to the customer's order or personalised")
    DIGITAL = "digital", _("digital content or software once unsealed or activated")
    PERISHABLE = "perishable", _("perishable goods with a short shelf life")
    SEALED = "sealed", _("sealed goods unsealed after delivery")
    OTHER = "other", _("other reason (see the note)")


def default_vat_rate() -> Decimal:
    return settings.SHOP_VAT_RATE


def default_warranty_months() -> int:
    return settings.SHOP_DEFAULT_WARRANTY_MONTHS


class Category(models.Model):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("shown in the shop"), default=True)
    # CAT-2 defaults for the products of this category
    returnable = models.BooleanField(_("returnable"), default=True)
    non_returnable_reason = models.CharField(
        _("why not returnable"), max_length=20, choices=NonReturnableReason.choices, blank=True
    )
    bonus_payable = models.BooleanField(_("may be paid with bonuses"), default=True)
    bonus_earning = models.BooleanField(_("earns bonuses"), default=True)
    warranty_months = models.PositiveSmallIntegerField(_("warranty, months"), default=default_warranty_months)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("position", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(returnable=True) | ~Q(non_returnable_reason=""),
                name="category_non_returnable_has_reason",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="category_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("shop:category", kwargs={"slug": self.slug})


class Product(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="products", on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    brand = models.CharField(_("brand"), max_length=80, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("shown in the shop"), default=True)
    is_service = models.BooleanField(
        _("service"), default=False, help_text=_("Delivery, installation...: never earns bonuses.")
    )
    vat_rate = models.DecimalField(
        _("VAT rate, %"),
        max_digits=5,
        decimal_places=2,
        default=default_vat_rate,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    # CAT-2 overrides; empty means "as the category"
    returnable = models.BooleanField(_("returnable"), null=True, blank=True)
    non_returnable_reason = models.CharField(
        _("why not returnable"), max_length=20, choices=NonReturnableReason.choices, blank=True
    )
    non_returnable_note = models.CharField(_("note on returns"), max_length=240, blank=True)
    bonus_payable = models.BooleanField(_("may be paid with bonuses"), null=True, blank=True)
    bonus_earning = models.BooleanField(_("earns bonuses"), null=True, blank=True)
    warranty_months = models.PositiveSmallIntegerField(_("warranty, months"), null=True, blank=True)
    seasonal = models.BooleanField(_("seasonal"), default=False)
    season_start_month = models.PositiveSmallIntegerField(
        _("season starts: month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    season_start_day = models.PositiveSmallIntegerField(
        _("season starts: day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # CAT-5: names, brand and SKUs (weight A) over descriptions (weight C), per language; written by
    # shop.search.refresh_search_documents() (save path and importer), GIN-indexed on PostgreSQL.
    search_document = SearchVectorField(null=True, editable=False)
    # CAT-5 "in stock first" at 20 000 products (issue 15): how many of the product's variants have stock, kept by
    # database triggers on shop_variant (migration 0010: every insert, stock change and delete, whatever wrote it —
    # checkout, returns, the importer, raw SQL) by increments, so two sales at once add up; never written from
    # Python (save() leaves it out). `in_stock` follows it, so a listing sorts by an indexed column instead of
    # looking for a stocked variant of every product.
    stocked_variants = models.PositiveIntegerField(_("variants in stock"), default=0, editable=False)
    in_stock = models.GeneratedField(
        expression=Q(stocked_variants__gt=0), output_field=models.BooleanField(), db_persist=True
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ("-created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(seasonal=False)
                | Q(season_start_month__isnull=False, season_start_day__isnull=False),
                name="product_seasonal_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(returnable=False) | ~Q(non_returnable_reason=""),
                name="product_non_returnable_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=("category", "is_active"), name="product_category_active"),
            # CAT-5 at 20 000 products: a category's listing (count and the page's ids, newest first) read from the
            # index alone, never from the wide product rows (the search document lives in them).
            models.Index(
                "category", F("created_at").desc(), "id", condition=Q(is_active=True), name="product_listing_newest"
            ),
            # ... and in the default order, in stock first (shop.selectors.SORTS["popular"]): the page is the
            # index's first rows.
            models.Index(
                "category",
                F("in_stock").desc(),
                F("created_at").desc(),
                "id",
                condition=Q(is_active=True),
                name="product_listing_popular",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Never writes `stocked_variants` over an existing row: the triggers keep it, and this instance's copy may
        be stale (an admin form opened before the last unit sold would mark the product in stock again).

        In a transaction on PostgreSQL, an update first locks the product's variants (in primary-key order, as the
        checkout does): a checkout holds its variants and then, when a last unit goes, the product (the triggers);
        saving the product first and its variants after (the admin's form with its inline variants, the importer)
        would take them the other way round, and the two could deadlock."""
        if not self._state.adding and connection.in_atomic_block and connection.vendor == "postgresql":
            locked = Variant.objects.select_for_update().filter(product_id=self.pk).order_by("pk")
            list(locked.values_list("pk", flat=True))
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not (f.primary_key or f.generated or f.attname == "stocked_variants" or f.attname in deferred)
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("shop:product", kwargs={"slug": self.slug})

    def clean(self):
        if self.seasonal and not (self.season_start_month and self.season_start_day):
            raise ValidationError(_("A seasonal product needs the day and month its season starts."))
        if (
            self.season_start_month
            and self.season_start_day
            and not policy.is_valid_month_day(self.season_start_month, self.season_start_day)
        ):
            raise ValidationError(_("The season start is not a real date."))
        if self.returnable is False and not self.non_returnable_reason:
            raise ValidationError(_("Say why the product cannot be returned."))

    # Effective CAT-2 flags (the product's own value, else its category's)
    @property
    def is_returnable(self) -> bool:
        return policy.effective_flag(self.returnable, self.category.returnable)

    @property
    def returns_refusal_reason(self) -> str:
        """Why the product cannot be returned, as shown on the product page; empty when it can."""
        if self.is_returnable:
            return ""
        code = self.non_returnable_reason or self.category.non_returnable_reason
        label = NonReturnableReason(code).label if code else ""
        return " — ".join(part for part in (str(label), self.non_returnable_note) if part)

    @property
    def is_bonus_payable(self) -> bool:
        return policy.effective_flag(self.bonus_payable, self.category.bonus_payable)

    @property
    def is_bonus_earning(self) -> bool:
        return not self.is_service and policy.effective_flag(self.bonus_earning, self.category.bonus_earning)

    @property
    def effective_warranty_months(self) -> int:
        return policy.effective_flag(self.warranty_months, self.category.warranty_months)


class Variant(models.Model):
    """A SKU: what is stocked, priced and (later) put in the cart."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), related_name="variants", on_delete=models.CASCADE
    )
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("variant"), max_length=120, blank=True, help_text=_("e.g. colour or size"))
    price = models.DecimalField(
        _("price incl. VAT, KZT"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    sale_price = models.DecimalField(
        _("sale price incl. VAT, KZT"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    weight_kg = models.DecimalField(_("weight, kg"), max_digits=8, decimal_places=3, default=Decimal("0.5"))
    is_bulky = models.BooleanField(_("bulky"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("variant (SKU)")
        verbose_name_plural = _("variants (SKU)")
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
            models.CheckConstraint(
                condition=Q(sale_price__isnull=True) | Q(sale_price__gt=0, sale_price__lt=F("price")),
                name="variant_sale_below_price",
            ),
        ]

    def __str__(self):
        return f"{self.product} {self.name}".strip() if self.name else str(self.product)

    def clean(self):
        if self.sale_price is not None and self.price is not None and self.sale_price >= self.price:
            raise ValidationError({"sale_price": _("The sale price must be below the regular price.")})

    @property
    def current_price(self) -> Decimal:
        return policy.current_price(self.price, self.sale_price)

    @property
    def availability(self) -> str:
        return policy.availability(self.stock, settings.SHOP_LOW_STOCK_THRESHOLD)


class SearchWord(models.Model):
    """CAT-5: every word of the products' names and brands, lower-case, so a mistyped query word can be
    corrected to the nearest one (pg_trgm similarity, trigram-indexed on PostgreSQL). Only grows: a stale word
    corrects to nothing that is still sold, which finds nothing."""

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


def _image_path(instance, filename):
    return f"products/{instance.product_id}/{filename}"


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), related_name="images", on_delete=models.CASCADE
    )
    image = models.ImageField(_("image"), upload_to=_image_path, max_length=255, validators=[validate_image])
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_image_path, max_length=255, blank=True, editable=False)
    large = models.ImageField(_("large image"), upload_to=_image_path, max_length=255, blank=True, editable=False)
    # Issue 16, item 8: every derived file with its real pixels, [{"name", "type", "width", "height"}, ...] —
    # the AVIF/WebP renditions and the two JPEGs above — for <picture>, srcset and width/height (shop.pictures).
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)
    alt = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ("position", "id")

    def __str__(self):
        return self.alt or self.image.name

    def save(self, *args, **kwargs):
        # The thumbnails always follow the image: regenerate them whenever the image changes.
        if self.image and (not self.thumbnail or self._image_changed()):
            self.make_derived_files()
        super().save(*args, **kwargs)

    def make_derived_files(self) -> None:
        """The JPEG thumbnail and large version and the AVIF/WebP renditions of the image, each named after the
        image's digest (a changed image gets new names, so browsers may keep them for good), and their sizes."""
        digest = source_digest(self.image)
        sizes = settings.SHOP_THUMBNAIL_SIZES
        renditions = []
        jpegs = ((self.thumbnail, sizes["thumb"], "thumb"), (self.large, sizes["large"], "large"))
        for field_file, box, suffix in jpegs:
            content = make_thumbnail(self.image, box, f"{digest}-{suffix}")
            width, height = image_size(content)
            field_file.save(content.name, content, save=False)
            renditions.append({"name": field_file.name, "type": JPEG_TYPE, "width": width, "height": height})
        field = self._meta.get_field("image")
        storage = self.image.storage
        for content, entry in make_renditions(self.image, settings.SHOP_IMAGE_RENDITION_WIDTHS, digest):
            renditions.append({"name": storage.save(field.generate_filename(self, content.name), content), **entry})
        self.renditions = renditions

    def stored_files(self) -> list[str]:
        """Every file of this image in the storage: the upload, its JPEGs and its renditions."""
        names = [f.name for f in (self.image, self.thumbnail, self.large) if f]
        return names + [r["name"] for r in self.renditions if r["name"] not in names]

    def _image_changed(self) -> bool:
        if not self.pk:
            return True
        old = ProductImage.objects.filter(pk=self.pk).values_list("image", flat=True).first()
        return old != self.image.name

    @property
    def alt_text(self) -> str:
        return self.alt or self.product.name


class Page(models.Model):
    """An information page linked from the footer (terms, delivery, returns...), editable in the admin (LEG-1).
    The accounts issue adds versioned terms and notification of changes."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms and conditions")
        PRIVACY = "privacy", _("Privacy policy")
        COOKIES = "cookies", _("Cookies")
        DELIVERY = "delivery", _("Delivery")
        PAYMENT = "payment", _("Payment")
        RETURNS = "returns", _("Returns")
        WARRANTY = "warranty", _("Warranty")
        LOYALTY = "loyalty", _("Loyalty programme")

    slug = models.SlugField(_("address"), max_length=40, unique=True, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"))
    version = models.CharField(
        _("version"), max_length=40, default="1",
        help_text=_("Change it when the content changes in substance: customers are told of a new terms version."),
    )
    notified_version = models.CharField(_("customers notified of version"), max_length=40, blank=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ("position", "slug")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("shop:page", kwargs={"slug": self.slug})


class Review(models.Model):
    """A customer's review of a product (CAT-4): only buyers may write one; shown once a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    product = models.ForeignKey(Product, verbose_name=_("product"), related_name="reviews", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), related_name="reviews", on_delete=models.CASCADE
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("review"), max_length=3000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderator"), related_name="+", null=True, blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=("product", "user"), name="review_one_per_customer"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.product} — {self.rating}/5"


def validate_bin(value: str) -> None:
    if not policy.is_valid_bin(value):
        raise ValidationError(
            _("A BIN is 12 digits whose last digit matches the check digit; check the number."), code="invalid_bin"
        )


def validate_kz_iban(value: str) -> None:
    if not policy.is_valid_kz_iban(value):
        raise ValidationError(
            _("An account number (IIK) is an IBAN of 20 characters starting with KZ; check the number."),
            code="invalid_iban",
        )


class SellerDetails(models.Model):
    """Who sells (LEG-3): the legal details every page, mail and document shows. One row, edited in the admin;
    the pages read it through the cached selector `seller_details()`."""

    SINGLE_ROW = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLE_ROW, editable=False)
    company_name = models.CharField(_("company name"), max_length=200)
    bin = models.CharField(
        _("BIN"),
        max_length=12,
        validators=[validate_bin],
        help_text=_("Business identification number, 12 digits."),
    )
    legal_address = models.CharField(_("legal address"), max_length=300)
    bank_name = models.CharField(_("bank"), max_length=200)
    iik = models.CharField(
        _("account number (IIK)"),
        max_length=20,
        validators=[validate_kz_iban],
        help_text=_("IBAN, KZ…, 20 characters."),
    )
    bik = models.CharField(
        _("BIK"),
        max_length=11,
        validators=[
            RegexValidator(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", _("A BIK is 8 or 11 capital letters and digits."))
        ],
    )
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"))
    opening_hours = models.CharField(_("opening hours"), max_length=200)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("seller's details")
        verbose_name_plural = _("seller's details")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="seller_details_single_row"),
        ]

    def __str__(self):
        return self.company_name
