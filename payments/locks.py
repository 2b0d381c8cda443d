"""select_for_update() querysets for payments. Order first, then payment: the same order everywhere."""

from orders.locks import order_for_update as lock_order

from .models import Payment


def payment_for_update(pk) -> Payment:
    return Payment.objects.select_for_update().select_related(None).get(pk=pk)


def payments_of_order_for_update(order_pk):
    return Payment.objects.select_for_update().filter(order_id=order_pk).order_by("pk")


def order_for_update(pk):
    return lock_order(pk)
