"""Joining the programme (LOY-1): a registered customer confirms a mobile phone with a one-time SMS code.

The code (6 digits) is stored only as a keyed hash, expires after ``SHOP_LOYALTY_OTP_TTL_SECONDS``, allows
``SHOP_LOYALTY_OTP_ATTEMPTS`` tries; sending is rate-limited per phone and per client IP (`base.ratelimit`). One
account per customer and per phone (the database's unique constraints settle a race)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.policy import InvalidPhone, normalise_phone
from base.ratelimit import RateLimit

from . import services
from .models import BonusAccount, PhoneConfirmation
from .services import LoyaltyError
from .sms import SMSError, send_sms

PHONE_LIMIT = RateLimit("loyalty-otp-phone", "SHOP_LOYALTY_OTP_PHONE_RATE")
IP_LIMIT = RateLimit("loyalty-otp-ip", "SHOP_LOYALTY_OTP_IP_RATE")


def _hash(confirmation_id: int, code: str) -> str:
    return salted_hmac("loyalty.otp", f"{confirmation_id}:{code}", algorithm="sha256").hexdigest()


def mobile_phone(raw: str) -> str:
    """The phone in E.164 when it is a valid mobile number (LOY-1), else LoyaltyError."""
    try:
        phone = normalise_phone(raw, settings.SHOP_COUNTRY)
    except InvalidPhone as error:
        raise LoyaltyError(_("Enter a valid mobile phone number, e.g. +7 701 123 45 67.")) from error
    kind = phonenumbers.number_type(phonenumbers.parse(phone, None))
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise LoyaltyError(_("Enter a mobile phone number: the code comes by SMS."))
    return phone


def send_code(*, user, raw_phone: str, ip: str | None, now: datetime | None = None) -> PhoneConfirmation:
    """Send a new code to the phone; raises LoyaltyError (already a member, phone taken, too many codes)."""
    now = now or timezone.now()
    phone = mobile_phone(raw_phone)
    if BonusAccount.objects.filter(user=user).exists():
        raise LoyaltyError(_("You are already in the loyalty programme."))
    if BonusAccount.objects.filter(phone=phone).exists():
        raise LoyaltyError(_("This phone number is already in the loyalty programme."))
    if not IP_LIMIT.hit(ip) or not PHONE_LIMIT.hit(phone):
        raise LoyaltyError(_("Too many codes were sent. Please try again later."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        PhoneConfirmation.objects.filter(user=user, confirmed_at__isnull=True).delete()
        confirmation = PhoneConfirmation.objects.create(
            user=user,
            phone=phone,
            code_hash="-",
            created_at=now,
            expires_at=now + timedelta(seconds=settings.SHOP_LOYALTY_OTP_TTL_SECONDS),
        )
        confirmation.code_hash = _hash(confirmation.pk, code)
        confirmation.save(update_fields=["code_hash"])
    text = _("%(shop)s: your code is %(code)s. It is valid for 5 minutes.") % {
        "shop": settings.SHOP_NAME,
        "code": code,
    }
    try:
        send_sms(phone=phone, text=text)
    except SMSError as error:
        raise LoyaltyError(_("The SMS could not be sent. Please try again in a few minutes.")) from error
    return confirmation


def current_confirmation(user) -> PhoneConfirmation | None:
    return PhoneConfirmation.objects.filter(user=user, confirmed_at__isnull=True).first()


def confirm_code(*, user, code: str, now: datetime | None = None) -> BonusAccount:
    """Check the code under the confirmation's row lock; a right code in time opens the account (LOY-1)."""
    now = now or timezone.now()
    code = "".join(ch for ch in (code or "") if ch.isdigit())[:6]
    with transaction.atomic():  # a wrong code's attempt is counted (committed) before the refusal is raised
        confirmation = (
            PhoneConfirmation.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
        )
        refusal = _refusal(confirmation, code=code, now=now)
        if refusal is None:
            PhoneConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=now)
    if refusal is not None:
        raise LoyaltyError(refusal)
    try:
        with transaction.atomic():
            return services.join(user=user, phone=confirmation.phone, now=now)
    except IntegrityError as error:  # the same phone or customer joined a moment ago
        raise LoyaltyError(_("This phone number is already in the loyalty programme.")) from error


def _refusal(confirmation: PhoneConfirmation | None, *, code: str, now: datetime) -> str | None:
    """Why the code is refused (counting a wrong try), None when it is right and in time."""
    if confirmation is None:
        return _("Ask for a code first.")
    if confirmation.expires_at <= now:
        return _("The code has expired: ask for a new one.")
    if confirmation.attempts >= settings.SHOP_LOYALTY_OTP_ATTEMPTS:
        return _("Too many wrong codes: ask for a new one.")
    if len(code) == 6 and constant_time_compare(_hash(confirmation.pk, code), confirmation.code_hash):
        return None
    PhoneConfirmation.objects.filter(pk=confirmation.pk).update(attempts=confirmation.attempts + 1)
    left = settings.SHOP_LOYALTY_OTP_ATTEMPTS - confirmation.attempts - 1
    if left <= 0:
        return _("Too many wrong codes: ask for a new one.")
    return _("The code is not right. Attempts left: %(left)s.") % {"left": left}
