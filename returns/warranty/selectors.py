"""Reading warranty claims for pages and the admin, with what each shows loaded in a fixed number of queries."""

from django.db.models import Prefetch
from django.urls import reverse

from orders.payment_methods import get_adapter

from .models import WarrantyClaim, WarrantyClaimEvent

CUSTOMER_KINDS = ("received", "examination", "resolved", "rejected")  # the customer sees states, never who


def claim_by_token(token: str):
    """The claim behind a secret link (43 random characters), or None."""
    token = (token or "").strip()
    if not token:
        return None
    events = WarrantyClaimEvent.objects.filter(kind__in=CUSTOMER_KINDS).only("claim_id", "kind", "at")
    return (
        WarrantyClaim.objects.filter(access_token=token)
        .select_related("order", "order_line", "refund")
        .prefetch_related("attachments", Prefetch("events", queryset=events, to_attr="customer_events"))
        .first()
    )


def customer_timeline(claim) -> list:
    return list(claim.customer_events)


def claims_of(user):
    """The signed-in customer's claims, newest first (never another customer's)."""
    return (
        WarrantyClaim.objects.filter(user=user)
        .select_related("order_line")
        .only("number", "access_token", "status", "created_at", "due_by", "order_line__product_name")
        .order_by("-created_at", "-id")
    )


def live_exchange(claim):
    """WAR-4: the claim's exchange that is done or waits for the customer's price difference (`returns.exchange`
    makes it, above this package; read here through the claim's relation)."""
    return claim.exchanges.exclude(status="cancelled").select_related("order", "line").first()


def exchange_pay_url(exchange) -> str:
    """Where the customer pays an exchange's difference: the exchange order's normal payment step."""
    if exchange is None or exchange.status != "awaiting_payment":
        return ""
    adapter = get_adapter(exchange.order.payment_method)
    if adapter is None or not adapter.online:
        return ""  # cash on delivery: the courier collects the difference with the replacement
    return reverse("payments:pay", kwargs={"token": exchange.order.access_token})
