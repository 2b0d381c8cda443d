"""Cabinet rules (ACC-3) as pure functions of plain values: phone numbers, postal codes, the address cap and
what an anonymised account looks like. No ORM, no I/O."""

import re
from datetime import date

import phonenumbers

# What an anonymised account and the records that pointed at it carry instead of personal data. The domain is
# reserved (RFC 2606 .example under .invalid), so no mail can ever reach a real person through it.
ANONYMISED_EMAIL_DOMAIN = "invalid.example"
ANONYMISED_NAME = "—"

_POSTAL_CODES = {"KZ": re.compile(r"\d{6}")}  # Kazpost since 2015: six digits, e.g. 050000


class InvalidPhone(ValueError):
    """The text is not a dialable phone number."""


def normalise_phone(raw: str, default_region: str) -> str:
    """A phone number as people type it ("8 701 123 45 67", "+7 (701) 123-45-67") → E.164 ("+77011234567").

    Numbers without a country code are read in `default_region` (the shop's country). Raises InvalidPhone for
    anything that is not a valid number there or, with a "+", anywhere."""
    text = (raw or "").strip()
    if not text or len(text) > 40:
        raise InvalidPhone(raw)
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(raw) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """A stored E.164 number written the way people read it ("+7 701 123 4567"); anything that does not parse
    is shown as stored."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_valid_postal_code(code: str, country: str) -> bool:
    """True when `code` has the shape of a postal code of `country`; countries we know no rule for accept any
    short code of letters, digits, spaces and hyphens."""
    pattern = _POSTAL_CODES.get(country.upper(), re.compile(r"[0-9A-Za-z][0-9A-Za-z -]{1,9}"))
    return bool(pattern.fullmatch(code.strip()))


def can_add_address(existing: int, limit: int) -> bool:
    """A customer keeps at most `limit` saved addresses (SHOP_MAX_ADDRESSES)."""
    return existing < limit


def new_address_is_default(existing: int, requested: bool) -> bool:
    """The first address becomes the default by itself; later ones only when the customer asks."""
    return existing == 0 or requested


def anonymised_email(user_id: int) -> str:
    """The e-mail an anonymised account keeps: unique per account (the column is unique) and undeliverable."""
    return f"deleted-{user_id}@{ANONYMISED_EMAIL_DOMAIN}"


def export_filename(today: date) -> str:
    """The name of the "my data" download: dated, so several exports do not overwrite each other."""
    return f"my-data-{today.isoformat()}.json"
