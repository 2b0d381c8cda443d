"""Reads for the cabinet (ACC-3): a customer's addresses and the "my data" export. Every query here is scoped
to one user, so a view that goes through these functions cannot show one customer another's records.

Other apps add their records to the export through ``SHOP_PERSONAL_DATA_PARTS``: dotted paths to callables
``part(user) -> (key, data)``, each writing one top-level key (orders.cabinet.personal_data writes "orders"),
so that accounts imports none of them."""

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Address, SupportTicket, TermsAcceptance, User

EXPORT_FORMAT_VERSION = 1


def addresses_of(user: User) -> QuerySet[Address]:
    """The customer's saved addresses, default first, then the newest."""
    return Address.objects.filter(user=user).order_by("-is_default", "-created_at", "-id")


def address_count(user: User) -> int:
    return Address.objects.filter(user=user).count()


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything the shop holds about this customer, as a JSON-ready dict (datetimes become ISO 8601 in the
    encoder). Only rows whose `user` is this customer are read.

    The apps above accounts add their own top-level keys after accounts' ("orders", then "returns", "bonuses"
    when those records exist), one per part in SHOP_PERSONAL_DATA_PARTS, in that order; the export holds only
    real data, never empty placeholders."""
    export = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "marketing_opt_in": user.marketing_opt_in,
            "marketing_opt_in_changed_at": user.marketing_opt_in_changed_at,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "addresses": [
            {
                "label": a.label,
                "recipient": a.recipient,
                "phone": a.phone,
                "city": a.city,
                "street": a.street,
                "apartment": a.apartment,
                "postal_code": a.postal_code,
                "comment": a.comment,
                "is_default": a.is_default,
                "created_at": a.created_at,
            }
            for a in addresses_of(user)
        ],
        "terms_acceptances": [
            {
                "terms_version": t.terms_version,
                "context": t.context,
                "accepted_at": t.accepted_at,
                "email": t.email,
                "age_confirmed": t.age_confirmed,
                "ip_address": t.ip_address,
                "user_agent": t.user_agent,
            }
            for t in TermsAcceptance.objects.filter(user=user).order_by("accepted_at", "id")
        ],
        "support_tickets": [
            {
                "number": s.number,
                "created_at": s.created_at,
                "topic": s.topic,
                "status": s.status,
                "order_number": s.order_number,
                "name": s.name,
                "email": s.email,
                "phone": s.phone,
                "message": s.message,
                "language": s.language,
                "ip_address": s.ip_address,
            }
            for s in SupportTicket.objects.filter(user=user).order_by("created_at", "id")
        ],
    }
    for path, part in personal_data_parts():
        key, data = part(user)
        if key in export:
            raise ImproperlyConfigured(f"SHOP_PERSONAL_DATA_PARTS: {path} writes the export's {key!r} key again")
        export[key] = data
    return export


@lru_cache(maxsize=8)
def _parts(paths: tuple[str, ...]) -> tuple[tuple[str, Callable[[User], tuple[str, Any]]], ...]:
    return tuple((path, import_string(path)) for path in paths)


def personal_data_parts() -> tuple[tuple[str, Callable[[User], tuple[str, Any]]], ...]:
    """(dotted path, part) for every part in SHOP_PERSONAL_DATA_PARTS, in the settings' order."""
    return _parts(tuple(settings.SHOP_PERSONAL_DATA_PARTS))
