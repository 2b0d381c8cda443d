"""Text that came with a request (URL parts, query strings, form fields, provider bodies), checked before it
reaches the database.

PostgreSQL refuses NUL in text and UTF-8 cannot carry a lone surrogate (JSON's "\\ud800" decodes to one), so
either would surface as a 500 from deep inside a query. Views hand raw values to the ORM only through a form
(whose text fields carry `SafeTextValidator`, see `RefusesUnsafeText`) or through `clean_text`; the event logs
that must keep whatever arrived store it through `storable_text`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

NOT_ALLOWED = _("The text contains characters that are not allowed.")


def is_safe_text(value: str) -> bool:
    """True when the database can store `value` as it is: no NUL, nothing UTF-8 cannot encode."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_safe_data(value) -> bool:
    """`is_safe_text` for every key and string inside parsed JSON or form data (dicts, lists, strings)."""
    if isinstance(value, str):
        return is_safe_text(value)
    if isinstance(value, dict):
        return all(is_safe_data(k) and is_safe_data(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(is_safe_data(item) for item in value)
    return True


def clean_text(value, *, max_length: int) -> str | None:
    """`value` when it is text the database can store and at most `max_length` characters long, else None: the
    caller treats None as "no such thing" (a 404 for a URL part, nothing found for a lookup)."""
    if not isinstance(value, str) or len(value) > max_length or not is_safe_text(value):
        return None
    return value


def storable_text(value: str, *, max_length: int) -> str:
    """`value` made storable for a log that must keep whatever arrived: NUL written as \\x00, lone surrogates as
    \\udXXX escapes, then cut to `max_length`."""
    value = value.replace("\x00", "\\x00")
    if not is_safe_text(value):
        value = value.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return value[:max_length]


@deconstructible
class SafeTextValidator:
    """A form field's value must be text the database can store (Django's own check covers NUL only, with a
    message Kazakh lacks)."""

    message = NOT_ALLOWED
    code = "null_characters_not_allowed"  # Django's code for the same refusal

    def __call__(self, value):
        if isinstance(value, str) and not is_safe_text(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SafeTextValidator)


class RefusesUnsafeText:
    """Form mixin: every text field refuses NUL and lone surrogates with the shop's own message (NOT_ALLOWED)
    instead of Django's NUL-only check."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators = [*kept, SafeTextValidator()]
