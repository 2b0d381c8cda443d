"""Orders, cart, checkout, delivery and coupons: tables added by the orders issue.

The cart (ORD-1) belongs either to a signed-in customer or to a guest's session, never both at once; prices are
not stored on its lines: the cart always shows the current price, and checkout freezes it on the order."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_LINE_QUANTITY = 999


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
