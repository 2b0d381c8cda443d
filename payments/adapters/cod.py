"""Cash on delivery (PAY-1): no online step; a manager confirms, the courier collects, staff mark it paid."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from orders.payment_methods import PaymentAdapter, RefundChannel


class CashOnDelivery(PaymentAdapter):
    code = "cod"
    label = _("Cash or card on delivery")
    pays_on_delivery = True
    # REF-5: cash on delivery is refunded like cash (10 calendar days), by bank transfer to the customer's account.
    refund_channel = RefundChannel.CASH

    def is_available(self, *, amount, delivery_method) -> bool:
        # Express couriers and pickup points collect too; a logistics company does not take cash for the shop.
        return delivery_method in settings.SHOP_COD_DELIVERY_METHODS and amount <= settings.SHOP_COD_MAX_AMOUNT

    def instructions(self, order) -> str:
        return str(_("A manager will call you to confirm the order. You pay the courier or at the pickup point."))
