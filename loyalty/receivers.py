"""What loyalty does when an order moves (orders/signals.py, sent after commit): paid or delivered orders of members
get their pending accruals with the due time (LOY-6); cancelled or refused orders earn nothing and give back what
they spent. The sweeps repeat this work, so a lost signal costs only time."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
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


@receiver(post_save, sender=get_user_model(), dispatch_uid="loyalty.customer_deleted")
def customer_deleted(sender, instance, **kwargs):
    """ACC-3: accounts anonymises a deleted customer (`anonymised_at` set, in the same transaction); the bonus
    account then drops the phone and the link (accounts sends no signal of its own, so loyalty watches the save)."""
    if getattr(instance, "anonymised_at", None) is not None:
        services.close_for_deleted_customer(user_id=instance.pk)
