"""What loyalty does when an order moves (orders/signals.py, sent after commit): paid or delivered orders of members
get their pending accruals with the due time (LOY-6); cancelled or refused orders earn nothing and give back what
they spent. The sweeps repeat this work, so a lost signal costs only time."""

from django.dispatch import receiver

from orders import signals

from . import services


@receiver([signals.order_paid, signals.order_delivered], dispatch_uid="loyalty.schedule_accruals")
def schedule_accruals(sender, order, **kwargs):
    services.schedule_accruals(order=order)


@receiver([signals.order_cancelled, signals.order_refused], dispatch_uid="loyalty.cancel_accruals")
def cancel_accruals(sender, order, **kwargs):
    services.cancel_accruals(order=order)
    services.release_order(order=order)
