"""Orders, cart, checkout, delivery and coupons: tables added by the orders issue.

The cart (ORD-1) belongs either to a signed-in customer or to a guest's session, never both at once; prices are
not stored on its lines: the cart always shows the current price, and checkout freezes it on the order."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from base.money import TIYN
from shop.models import NonReturnableReason

MAX_LINE_QUANTITY = 999
HALF_TIYN = TIYN / 2


def _equal_to_the_tiyn(field: str, expression) -> Q:
    """`field` equals `expression` to the tiyn. Amounts have two places, so on PostgreSQL (exact numerics) this is
    plain equality; SQLite (the zero-setup default) does decimal arithmetic in binary floating point, where
    3333.33 × 3 is not exactly 9999.99, so the check allows less than half a tiyn either way."""
    return Q(**{f"{field}__gt": expression - HALF_TIYN, f"{field}__lt": expression + HALF_TIYN})


class Cart(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        related_name="cart",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    session_key = models.CharField(_("guest session"), max_length=40, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self):
        return f"cart {self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, verbose_name=_("cart"), related_name="lines", on_delete=models.CASCADE)
    variant = models.ForeignKey(
        "shop.Variant", verbose_name=_("variant (SKU)"), related_name="cart_lines", on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ("added_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("cart", "variant"), name="cartline_one_per_variant"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_LINE_QUANTITY), name="cartline_quantity_1_to_999"
            ),
        ]

    def __str__(self):
        return f"{self.variant} × {self.quantity}"


# --- Delivery reference data (DLV-1..3): cities, admin tariff table, pickup points, stores ----------------------


class City(models.Model):
    """A city of delivery; the name is translated (ru/kk/en)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    region = models.CharField(_("region"), max_length=80, blank=True)
    is_active = models.BooleanField(_("delivered to"), default=True)
    position = models.PositiveIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ("position", "name")

    def __str__(self):
        return self.name


class DeliveryMethodChoice(models.TextChoices):
    COURIER = "courier", _("Courier service")
    LOGISTICS = "logistics", _("Logistics company")
    PICKUP = "pickup", _("Pickup point")
    EXPRESS = "express", _("Express courier (same day)")


class DeliveryTariff(models.Model):
    """DLV-2: one row of the tariff table — a method in a city, or for every city when `city` is empty (a city's
    own row wins). The table-based carrier adapter prices parcels from it."""

    method = models.CharField(_("delivery method"), max_length=20, choices=DeliveryMethodChoice.choices)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        related_name="tariffs",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: every city without its own row."),
    )
    base_cost = models.DecimalField(_("base cost, KZT"), max_digits=10, decimal_places=2)
    per_kg = models.DecimalField(_("per kg, KZT"), max_digits=10, decimal_places=2, default=0)
    bulky_surcharge = models.DecimalField(_("bulky surcharge, KZT"), max_digits=10, decimal_places=2, default=0)
    free_from = models.DecimalField(
        _("free from goods total, KZT"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("DLV-3 general free-delivery threshold of this method; empty: never free."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("delivery tariff")
        verbose_name_plural = _("delivery tariffs")
        ordering = ("method", "city__name")
        constraints = [
            models.UniqueConstraint(fields=("method", "city"), name="tariff_one_per_method_city"),
            models.UniqueConstraint(
                fields=("method",), condition=Q(city__isnull=True), name="tariff_one_default_per_method"
            ),
            models.CheckConstraint(
                condition=Q(base_cost__gte=0, per_kg__gte=0, bulky_surcharge__gte=0)
                & (Q(free_from__isnull=True) | Q(free_from__gte=0)),
                name="tariff_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} — {self.city or _('all cities')}"


class PickupPoint(models.Model):
    city = models.ForeignKey(City, verbose_name=_("city"), related_name="pickup_points", on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=240)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ("city__position", "name")

    def __str__(self):
        return f"{self.name}, {self.address}"


class Store(models.Model):
    """A shop's own store; express same-day delivery (DLV-1) runs only in cities whose store holds the goods."""

    city = models.ForeignKey(City, verbose_name=_("city"), related_name="stores", on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=240)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ("city__position", "name")

    def __str__(self):
        return f"{self.name} ({self.city})"


class StoreStock(models.Model):
    store = models.ForeignKey(Store, verbose_name=_("store"), related_name="stock", on_delete=models.CASCADE)
    variant = models.ForeignKey(
        "shop.Variant", verbose_name=_("variant (SKU)"), related_name="store_stock", on_delete=models.CASCADE
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)

    class Meta:
        verbose_name = _("store stock")
        verbose_name_plural = _("store stock")
        constraints = [models.UniqueConstraint(fields=("store", "variant"), name="storestock_one_per_variant")]

    def __str__(self):
        return f"{self.variant} @ {self.store}: {self.quantity}"


# --- Coupons (CPN-1..2) ---------------------------------------------------------------------------------------


class Coupon(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent off")
        FIXED = "fixed", _("Fixed amount off")

    code = models.CharField(
        _("code"), max_length=32, unique=True, help_text=_("Stored in capitals; matched case-insensitively.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(_("value (percent or KZT)"), max_digits=10, decimal_places=2)
    categories = models.ManyToManyField(
        "shop.Category",
        verbose_name=_("only for categories"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every category. A category includes its subcategories."),
    )
    min_goods_total = models.DecimalField(_("minimum goods total, KZT"), max_digits=12, decimal_places=2, default=0)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    max_uses = models.PositiveIntegerField(_("usage limit"), null=True, blank=True, help_text=_("Empty: unlimited."))
    max_uses_per_customer = models.PositiveIntegerField(
        _("uses per customer (e-mail)"), null=True, blank=True, default=1, help_text=_("Empty: unlimited.")
    )
    times_used = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    batch = models.CharField(_("batch"), max_length=60, blank=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ("-created_at", "id")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="coupon_value_positive"),
            models.CheckConstraint(condition=~Q(kind="percent") | Q(value__lte=100), name="coupon_percent_max_100"),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="coupon_valid_range"),
            models.CheckConstraint(condition=Q(min_goods_total__gte=0), name="coupon_minimum_not_negative"),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)


# --- Orders (ORD-3..7) ------------------------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")
    PAID = "paid", _("Paid")
    ASSEMBLING = "assembling", _("Being assembled")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Refused at delivery")


class DiscountKind(models.TextChoices):
    """CPN-2: an order holds at most one discount, a coupon or bonuses (bonuses come with the loyalty app)."""

    NONE = "", _("None")
    COUPON = "coupon", _("Coupon")
    BONUSES = "bonuses", _("Bonuses")
    EXCHANGE = "exchange", _("Exchange credit")  # RET-8/WAR-4: what the returned goods paid covers the replacement


class Order(models.Model):
    """A placed order: everything the price depended on is frozen here and on its lines (ORD-3)."""

    number = models.CharField(_("number"), max_length=16, unique=True)
    access_token = models.CharField(_("secret link token"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        related_name="orders",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    # Contacts (ACC-2: a guest's data serve this order only)
    full_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), db_index=True)
    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    # Delivery (frozen)
    delivery_method = models.CharField(_("delivery method"), max_length=20, choices=DeliveryMethodChoice.choices)
    city = models.ForeignKey(City, verbose_name=_("city"), related_name="+", on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=300, blank=True)
    pickup_point = models.ForeignKey(
        PickupPoint, verbose_name=_("pickup point"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    delivery_address_text = models.CharField(_("delivery to"), max_length=400, help_text=_("As placed."))
    delivery_cost = models.DecimalField(_("delivery cost, KZT"), max_digits=10, decimal_places=2)
    eta_from = models.DateField(_("estimated delivery from"))
    eta_to = models.DateField(_("estimated delivery by"))
    carrier = models.CharField(_("carrier"), max_length=40, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # Money (frozen)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    goods_total = models.DecimalField(_("goods total, KZT"), max_digits=12, decimal_places=2)
    discount_kind = models.CharField(
        _("discount"), max_length=10, choices=DiscountKind.choices, default=DiscountKind.NONE, blank=True
    )
    discount_total = models.DecimalField(_("discount, KZT"), max_digits=12, decimal_places=2, default=0)
    coupon = models.ForeignKey(
        Coupon, verbose_name=_("coupon"), null=True, blank=True, related_name="orders", on_delete=models.PROTECT
    )
    coupon_code = models.CharField(_("coupon code"), max_length=32, blank=True)
    coupon_released_at = models.DateTimeField(
        _("coupon use given back"),
        null=True,
        blank=True,
        help_text=_("CPN-3: the whole purchase came back for a defect; this order no longer uses up the coupon."),
    )
    total = models.DecimalField(_("to pay, KZT"), max_digits=12, decimal_places=2)
    payment_method = models.CharField(_("payment method"), max_length=30)
    paid_amount = models.DecimalField(_("paid, KZT"), max_digits=12, decimal_places=2, default=0)
    pay_by = models.DateTimeField(
        _("pay by"),
        null=True,
        blank=True,
        help_text=_("An exchange's price difference may be paid until then; empty: the usual time to pay."),
    )
    # Evidence and times
    terms_version = models.CharField(_("accepted terms version"), max_length=40, blank=True)
    placed_ip = models.GenericIPAddressField(_("placed from IP"), null=True, blank=True)
    placed_at = models.DateTimeField(_("placed"), db_index=True)
    processing_from = models.DateField(_("processed from"), help_text=_("ORD-8: the first working day."))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("completed, cancelled or refused"), null=True, blank=True)
    cancellation_requested_at = models.DateTimeField(_("cancellation requested"), null=True, blank=True)
    cancellation_reason = models.CharField(_("cancellation reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-placed_at", "-id")
        indexes = [models.Index(fields=("status", "placed_at"), name="order_status_placed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(goods_total__gte=0, discount_total__gte=0, delivery_cost__gte=0, paid_amount__gte=0),
                name="order_amounts_not_negative",
            ),
            models.CheckConstraint(condition=Q(discount_total__lte=F("goods_total")), name="order_discount_le_goods"),
            models.CheckConstraint(
                condition=_equal_to_the_tiyn("total", F("goods_total") - F("discount_total") + F("delivery_cost")),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(discount_kind="") | Q(discount_total=0), name="order_discount_has_kind"
            ),
            models.CheckConstraint(
                condition=~Q(discount_kind="coupon") | Q(coupon__isnull=False), name="order_coupon_discount_has_coupon"
            ),
        ]
        permissions = [
            ("confirm_order", _("Can confirm or refuse orders")),
            ("cancel_order", _("Can cancel orders")),
            ("ship_order", _("Can mark orders shipped and delivered")),
            ("mark_order_paid", _("Can mark cash-on-delivery orders paid")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"token": self.access_token})


class OrderLine(models.Model):
    """One SKU of an order with its frozen price and its share of the order discount (REF-1, LOY-5 read these)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), related_name="lines", on_delete=models.CASCADE)
    variant = models.ForeignKey(
        "shop.Variant", verbose_name=_("variant (SKU)"), related_name="order_lines", on_delete=models.PROTECT
    )
    product_name = models.CharField(_("product"), max_length=320)
    sku = models.CharField(_("SKU"), max_length=64)
    quantity = models.PositiveIntegerField(_("quantity"))
    regular_price = models.DecimalField(_("regular price, KZT"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price, KZT"), max_digits=12, decimal_places=2)
    line_total = models.DecimalField(_("line total, KZT"), max_digits=12, decimal_places=2)
    discount_share = models.DecimalField(_("discount share, KZT"), max_digits=12, decimal_places=2, default=0)
    paid_total = models.DecimalField(
        _("paid for the line, KZT"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Line total minus its discount share."),
    )
    # CAT-2 flags as they were when the order was placed
    on_sale = models.BooleanField(_("sale price"), default=False)
    returnable = models.BooleanField(_("returnable"), default=True)
    # RET-2 (issue 11): why not returnable, frozen with the flag (the product's or its category's reason and note)
    non_returnable_reason = models.CharField(
        _("why not returnable"), max_length=20, choices=NonReturnableReason.choices, blank=True
    )
    non_returnable_note = models.CharField(_("note on returns"), max_length=240, blank=True)
    bonus_earning = models.BooleanField(_("earns bonuses"), default=True)
    bonus_payable = models.BooleanField(_("may be paid with bonuses"), default=True)
    is_service = models.BooleanField(_("service"), default=False)
    warranty_months = models.PositiveSmallIntegerField(_("warranty, months"), default=0)
    vat_rate = models.DecimalField(_("VAT rate, %"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=("order", "variant"), name="orderline_one_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(
                condition=_equal_to_the_tiyn("line_total", F("unit_price") * F("quantity")), name="orderline_total"
            ),
            models.CheckConstraint(
                condition=Q(discount_share__gte=0, discount_share__lte=F("line_total")),
                name="orderline_share_within_line",
            ),
            models.CheckConstraint(
                condition=_equal_to_the_tiyn("paid_total", F("line_total") - F("discount_share")),
                name="orderline_paid_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.product_name} × {self.quantity}"

    @property
    def returns_refusal_reason(self) -> str:
        """RET-2: why the line cannot be returned, as frozen at checkout; empty when it can."""
        if self.returnable:
            return ""
        label = NonReturnableReason(self.non_returnable_reason).label if self.non_returnable_reason else ""
        return " — ".join(str(part) for part in (label, self.non_returnable_note) if part)


class OrderEvent(models.Model):
    """Append-only log of an order (ORD-5, SUP-2): every status change and every staff or customer action, with
    the actor (empty actor: the shop's own automation) and the time."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Placed")
        STATUS = "status", _("Status changed")
        TRACKING = "tracking", _("Tracking number set")
        CANCELLATION_REQUESTED = "cancel_request", _("Cancellation requested")
        PAYMENT = "payment", _("Payment recorded")
        PAYMENT_METHOD = "payment_method", _("Payment method changed")
        REFUND_DUE = "refund_due", _("Refund due")
        EMAIL = "email", _("E-mail sent")
        NOTE = "note", _("Note")

    order = models.ForeignKey(Order, verbose_name=_("order"), related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    actor_role = models.CharField(
        _("role"), max_length=10, choices=[("customer", _("customer")), ("staff", _("staff")), ("system", _("system"))]
    )
    message = models.CharField(_("details"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order history")
        ordering = ("at", "id")

    def __str__(self):
        return f"{self.order} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
