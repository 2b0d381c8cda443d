"""Cabinet use cases that change state (ACC-3): the profile, saved addresses and the account deletion request.

Each function takes keyword-only arguments, validates with full_clean() before saving and runs in a
transaction. Everything that two requests of the same customer could race on (the address cap, the single
default address) is decided while holding a lock on the customer's row."""

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import policy
from .models import Address, SupportTicket, TermsAcceptance, User
from .selectors import address_count, addresses_of

log = logging.getLogger(__name__)

ADDRESS_FIELDS = ("label", "recipient", "phone", "city", "street", "apartment", "postal_code", "comment")


class DeletionNotAllowed(Exception):
    """Staff accounts are closed by an administrator, never from the cabinet (it would lock staff out)."""


def _lock_user(user: User) -> User:
    """The customer's row, locked until the transaction ends: serialises that customer's address changes."""
    return User.objects.select_for_update().get(pk=user.pk)


# --- Profile ------------------------------------------------------------------------------------------------------


@transaction.atomic
def update_profile(*, user: User, full_name: str, phone: str, marketing_opt_in: bool, preferred_language: str) -> User:
    """Correct the personal data (ACC-3). A change of the marketing choice is time-stamped: that time is the
    evidence of when consent was given or withdrawn. The comparison is with the stored row, not with `user`
    (a bound form may already have changed that instance)."""
    user = _lock_user(user)
    if marketing_opt_in != user.marketing_opt_in:
        user.marketing_opt_in_changed_at = timezone.now()
    user.full_name = full_name
    user.phone = phone
    user.marketing_opt_in = marketing_opt_in
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=["full_name", "phone", "marketing_opt_in", "marketing_opt_in_changed_at", "preferred_language"]
    )
    return user


# --- Addresses ----------------------------------------------------------------------------------------------------


def _limit_error(limit: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "You can keep at most %(limit)d address. Delete one to add another.",
            "You can keep at most %(limit)d addresses. Delete one to add another.",
            limit,
        )
        % {"limit": limit},
        code="address_limit",
    )


def can_add_address(*, user: User) -> bool:
    return policy.can_add_address(address_count(user), settings.SHOP_MAX_ADDRESSES)


@transaction.atomic
def create_address(*, user: User, make_default: bool = False, **fields) -> Address:
    """Save a new address. The first one becomes the default by itself; at most SHOP_MAX_ADDRESSES are kept
    (ValidationError with code "address_limit" beyond that)."""
    user = _lock_user(user)
    existing = address_count(user)
    limit = settings.SHOP_MAX_ADDRESSES
    if not policy.can_add_address(existing, limit):
        raise _limit_error(limit)
    address = Address(user=user, is_default=False, **_address_fields(fields))
    address.full_clean()
    if policy.new_address_is_default(existing, make_default):
        Address.objects.filter(user=user, is_default=True).update(is_default=False)
        address.is_default = True
    address.save()
    return address


@transaction.atomic
def update_address(*, address: Address, **fields) -> Address:
    """Correct an address. Whether it is the default is changed only by set_default_address()."""
    for name, value in _address_fields(fields).items():
        setattr(address, name, value)
    address.full_clean()
    address.save(update_fields=list(ADDRESS_FIELDS))
    return address


@transaction.atomic
def set_default_address(*, user: User, address_id: int) -> Address:
    """Make one of the customer's addresses the default; exactly one stays default (a partial unique constraint
    guarantees it, so the old default is cleared first). Address.DoesNotExist for someone else's address."""
    user = _lock_user(user)
    address = Address.objects.get(user=user, pk=address_id)
    Address.objects.filter(user=user, is_default=True).exclude(pk=address.pk).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default"])
    return address


@transaction.atomic
def delete_address(*, user: User, address_id: int) -> None:
    """Delete one of the customer's addresses; when it was the default, the most recent remaining one takes
    over. Address.DoesNotExist for someone else's address."""
    user = _lock_user(user)
    address = Address.objects.get(user=user, pk=address_id)
    was_default = address.is_default
    address.delete()
    if was_default:
        successor = addresses_of(user).first()
        if successor is not None:
            Address.objects.filter(pk=successor.pk).update(is_default=True)


def _address_fields(fields: dict) -> dict:
    unknown = set(fields) - set(ADDRESS_FIELDS)
    if unknown:
        raise TypeError(f"unknown address fields: {sorted(unknown)}")
    return fields


# --- Account deletion ---------------------------------------------------------------------------------------------


@transaction.atomic
def request_deletion(*, user: User) -> User:
    """Delete the customer's account by anonymising it, at once and for good (ACC-3).

    The user row stays, emptied of personal data, so that records the shop must keep for accounting (orders,
    refunds, tickets) stay attached to one account; everything that identifies the person goes:

    - e-mail → deleted-<id>@invalid.example; full, first and last name and phone emptied; marketing off;
    - saved addresses and allauth's e-mail addresses (with their confirmations) deleted;
    - terms acceptances keep the version, the context and the time, but lose e-mail, IP address and browser;
    - support tickets keep their text and topic for the accounts, but lose name, e-mail, phone and IP address;
    - an unusable password and is_active=False: nobody can sign in again, and the changed password hash ends
      every other session of the account on its next request (Django's session verification); the caller logs
      the current session out.

    Calling it again for an anonymised account changes nothing. Staff accounts raise DeletionNotAllowed."""
    user = _lock_user(user)
    if user.anonymised_at is not None:
        return user
    if user.is_staff or user.is_superuser:
        raise DeletionNotAllowed(_("Staff accounts are closed by an administrator."))

    now = timezone.now()
    placeholder = policy.anonymised_email(user.pk)

    TermsAcceptance.objects.filter(user=user).update(email=placeholder, ip_address=None, user_agent="")
    SupportTicket.objects.filter(user=user).update(
        name=policy.ANONYMISED_NAME, email=placeholder, phone="", ip_address=None
    )
    Address.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()

    if user.marketing_opt_in:
        user.marketing_opt_in_changed_at = now
    user.email = placeholder
    user.full_name = ""
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.marketing_opt_in = False
    user.is_active = False
    user.set_unusable_password()
    user.deletion_requested_at = now
    user.anonymised_at = now
    user.save()
    log.info("account %s anonymised at the customer's request", user.pk)
    return user
