"""LEG-3 rules as pure functions: the BIN check digit, the KZ account number (IBAN), the meta description."""

import pytest

from shop import policy


@pytest.mark.parametrize("value", ["900324400726", "000000000000", "123456789013"])
def test_leg3_valid_bins(value):
    assert policy.is_valid_bin(value)


@pytest.mark.parametrize(
    "value", ["900324400727", "12345678901", "1234567890123", "90032440072a", "", "９００３２４４００７２６"]
)
def test_leg3_invalid_bins(value):
    assert not policy.is_valid_bin(value)


def test_leg3_bin_check_digit_with_first_weights():
    # 1*1 + 0*2 + ... + 0*11 = 1: the first round decides
    assert policy.is_valid_bin("100000000001")
    assert not policy.is_valid_bin("100000000000")


def test_leg3_bin_check_digit_with_second_weights():
    # 1*1 + 2*2 + ... + 9*9 + 0*10 + 1*11 = 296, remainder 10; then 3*1 + 4*2 + ... + 1*0 + 2*1 = 278, remainder 3
    assert policy.is_valid_bin("123456789013")
    assert not policy.is_valid_bin("123456789010")


def test_leg3_bin_whose_both_rounds_give_ten_is_never_valid():
    # a prefix for which both rounds give 10 gets no check digit at all
    prefix = next(
        p
        for p in (f"{n:011d}" for n in range(0, 10**6))
        if sum(w * int(d) for w, d in zip(policy.BIN_WEIGHTS, p, strict=True)) % 11 == 10
        and sum(w * int(d) for w, d in zip(policy.BIN_SECOND_WEIGHTS, p, strict=True)) % 11 == 10
    )
    assert not any(policy.is_valid_bin(prefix + str(d)) for d in range(10))


@pytest.mark.parametrize("value", ["KZ070000000000000000", "KZ86125KZT5004100100"])
def test_leg3_valid_kz_iban(value):
    assert policy.is_valid_kz_iban(value)


@pytest.mark.parametrize(
    "value", ["KZ080000000000000000", "KZ3722S000002142518", "kz070000000000000000", "DE89370400440532013000"]
)
def test_leg3_invalid_kz_iban(value):
    assert not policy.is_valid_kz_iban(value)


def test_leg3_meta_description_keeps_short_text_as_one_line():
    assert policy.meta_description("  Тихий\n\nпылесос  ") == "Тихий пылесос"
    assert policy.meta_description("") == ""


def test_leg3_meta_description_cuts_long_text_at_a_word():
    text = " ".join(["слово"] * 100)
    cut = policy.meta_description(text)
    assert len(cut) <= 160 and cut.endswith("слово…")
    assert policy.meta_description("x" * 200, limit=10) == "x" * 9 + "…"


# --- the page's <title> (issue 16): the shop's name once ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Корзина", "Корзина · Dala Shop"),
        ("  Чайник\n  Bosch ", "Чайник Bosch · Dala Shop"),  # as rendered from a template block: one line
        ("", "Dala Shop"),  # a page without a title of its own
        ("Dala Shop", "Dala Shop"),  # the home page is the shop
        (" Dala  Shop ", "Dala Shop"),
        ("Корзина · Dala Shop", "Корзина · Dala Shop"),  # a title that already names the shop
        ("Dala Shop Almaty", "Dala Shop Almaty · Dala Shop"),  # only the whole name counts
    ],
)
def test_leg3_document_title_names_the_shop_once(title, expected):
    assert policy.document_title(title, "Dala Shop") == expected


def test_leg3_document_title_without_a_shop_name_is_the_page_title():
    assert policy.document_title("Корзина", "") == "Корзина"
    assert policy.document_title("", "") == ""
