"""base/request_text.py: what text from a request may reach the database, and how the event log keeps the rest."""

import pytest
from django import forms
from django.utils import translation

from base.request_text import RefusesUnsafeText, clean_text, is_safe_data, is_safe_text, storable_text


@pytest.mark.parametrize("value", ["", "abc", "Алматы", "Қазақстан", "😀", "!'(%", "\ufffd"])
def test_ordinary_text_is_safe(value):
    assert is_safe_text(value)
    assert clean_text(value, max_length=10) == value


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\ud800", "x\udfffy"])
def test_nul_and_lone_surrogates_are_refused(value):
    assert not is_safe_text(value)
    assert clean_text(value, max_length=10) is None


def test_clean_text_refuses_overlong_text_and_non_text():
    assert clean_text("x" * 11, max_length=10) is None
    assert clean_text("x" * 10, max_length=10) == "x" * 10
    assert clean_text(None, max_length=10) is None
    assert clean_text(["a"], max_length=10) is None


def test_safe_data_looks_inside_keys_lists_and_dicts():
    assert is_safe_data({"a": ["b", {"c": 1, "d": None}]})
    assert not is_safe_data({"a": ["b", {"c": "\x00"}]})
    assert not is_safe_data({"\ud800": "b"})
    assert not is_safe_data(["ok", "\x00"])


def test_storable_text_escapes_and_truncates():
    assert storable_text("a\x00b", max_length=100) == "a\\x00b"
    assert storable_text("a\ud800b", max_length=100) == "a\\ud800b"
    assert storable_text("Алматы\x00" * 10, max_length=8) == "Алматы\\x"
    assert is_safe_text(storable_text("\x00\udfff" * 100, max_length=50))


class _Form(RefusesUnsafeText, forms.Form):
    name = forms.CharField()
    email = forms.EmailField(required=False)
    count = forms.IntegerField(required=False)


@pytest.mark.parametrize(
    "language,message",
    [
        ("ru", "Текст содержит недопустимые символы."),
        ("kk", "Мәтінде рұқсат етілмеген таңбалар бар."),
        ("en", "The text contains characters that are not allowed."),
    ],
)
def test_a_form_refuses_nul_with_the_shops_message(language, message):
    with translation.override(language):
        form = _Form({"name": "a\x00b", "email": "a\x00@b.kz", "count": "1"})

        assert not form.is_valid()
        assert form.errors["name"] == [message]
        assert "email" in form.errors


def test_a_form_keeps_ordinary_text():
    form = _Form({"name": "Айгерим", "count": "2"})

    assert form.is_valid(), form.errors
