"""Periodic, idempotent payment sweeps (never long countdowns): poll open invoices, expire unpaid orders."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def poll_open_payments() -> int:
    return services.poll_open_payments()


@shared_task(ignore_result=True)
def expire_unpaid_orders() -> int:
    return services.expire_unpaid_orders()
