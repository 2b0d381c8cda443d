"""Catalogue rules as pure functions of plain values (no ORM, no I/O): prices, availability, flags."""

import re
from calendar import monthrange
from decimal import Decimal
from typing import TypeVar

from base.money import to_tiyn

T = TypeVar("T")

IN_STOCK = "in_stock"
LOW_STOCK = "low_stock"
OUT_OF_STOCK = "out_of_stock"


def current_price(price: Decimal, sale_price: Decimal | None) -> Decimal:
    """What the shopper pays now (CAT-1): the sale price when there is a valid one, else the price."""
    if sale_price is not None and Decimal(0) < sale_price < price:
        return sale_price
    return price


def discount_percent(price: Decimal, sale_price: Decimal | None) -> int:
    """The saving shown on a sale badge, rounded down so it never overstates the discount."""
    if current_price(price, sale_price) == price:
        return 0
    return int((price - sale_price) * 100 / price)


def vat_included(price_incl_vat: Decimal, vat_rate_percent: Decimal) -> Decimal:
    """The VAT contained in a VAT-inclusive price, to the tiyn."""
    if vat_rate_percent <= 0:
        return Decimal("0.00")
    vat = price_incl_vat * vat_rate_percent / (Decimal(100) + vat_rate_percent)
    return to_tiyn(vat)


def availability(stock: int, low_stock_threshold: int) -> str:
    """CAT-3: what the shopper is told about stock."""
    if stock <= 0:
        return OUT_OF_STOCK
    if stock <= low_stock_threshold:
        return LOW_STOCK
    return IN_STOCK


def shown_stock(stock: int, low_stock_threshold: int) -> int:
    """What the catalogue pages can tell about a stock level: out of stock, the exact count while it is low, else just
    "in stock". Two levels with the same shown stock render the same pages, so selling from a deep stock changes no
    cached page (and need not invalidate them)."""
    return max(0, min(stock, low_stock_threshold + 1))


def effective_flag(own: T | None, inherited: T) -> T:
    """CAT-2: a product's flag left empty follows its category."""
    return inherited if own is None else own


def is_valid_month_day(month: int, day: int) -> bool:
    """A season start is a day of the year; 29 February is accepted (leap years)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= monthrange(2024, month)[1]


BIN_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
BIN_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def is_valid_bin(value: str) -> bool:
    """LEG-3: a Kazakhstan BIN (or IIN) is 12 digits, the last a check digit: the first 11 digits weighted 1..11,
    modulo 11; a remainder of 10 is retried with the weights 3..11, 1, 2, and a second 10 is never issued."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    check = sum(w * d for w, d in zip(BIN_WEIGHTS, digits[:11], strict=True)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(BIN_SECOND_WEIGHTS, digits[:11], strict=True)) % 11
    return check == digits[11]  # a second 10 matches no digit: such a number is never issued


def is_valid_kz_iban(value: str) -> bool:
    """LEG-3: a Kazakhstan account number (IIK) is an IBAN of 20 characters, "KZ", two check digits, 16 letters
    or digits; the IBAN check (ISO 13616, modulo 97) catches a mistyped character."""
    if not re.fullmatch(r"KZ[0-9]{2}[0-9A-Z]{16}", value):
        return False
    moved = value[4:] + value[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def meta_description(text: str, limit: int = 160) -> str:
    """A page's <meta name="description">: its plain text as one line, cut at a word so it fits `limit`
    characters (an ellipsis marks the cut). Escaping is left to the template."""
    plain = " ".join((text or "").split())
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:—-") + "…"


def document_title(page_title: str, shop_name: str) -> str:
    """The <title> of a page (LEG-3): "Cart · Dala Shop" — the shop's name once, at the end; the name alone when the
    page has no title of its own or is the shop itself (the home page) or already ends with it."""
    title = " ".join((page_title or "").split())
    name = " ".join((shop_name or "").split())
    if not title or title == name:
        return name
    if not name or title.endswith(f" · {name}"):
        return title
    return f"{title} · {name}"
# --- Search (CAT-5): what a query means, as plain words -------------------------------------------------------------

SEARCH_MAX_WORDS = 8
SEARCH_MAX_WORD_LENGTH = 40  # longer "words" are noise; a tsvector word must also stay under 2 KB
SEARCH_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits only: nothing a tsquery could parse as syntax

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters, as brand names are written in Latin
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
# Longest first: "shch" before "sch" before "sh" before "s".
LATIN_TO_CYRILLIC = [
    ("shch", "щ"), ("sch", "ш"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("ya", "я"),
    ("yu", "ю"), ("yo", "ё"), ("ye", "е"), ("ph", "ф"), ("ck", "к"), ("ee", "и"), ("oo", "у"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"),
    ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "и"), ("z", "з"),
]
LATIN_TO_CYRILLIC.sort(key=lambda pair: -len(pair[0]))


def search_words(query: str) -> list[str]:
    """The words of a search query, lower-case, letters and digits only, at most SEARCH_MAX_WORDS of them, each
    cut to SEARCH_MAX_WORD_LENGTH characters."""
    return [w[:SEARCH_MAX_WORD_LENGTH] for w in SEARCH_WORD.findall(query.casefold())[:SEARCH_MAX_WORDS]]


def transliterate(word: str) -> str:
    """CAT-5: a lower-case word in the other script (Latin ↔ Cyrillic), so "samsung" finds "Самсунг" and "бош"
    finds "Bosch" (with the typo tolerance for what transliteration gets wrong); "" when nothing changes."""
    if any("а" <= ch <= "я" or ch in CYRILLIC_TO_LATIN for ch in word):
        other = "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in word)
    else:
        other, i = "", 0
        while i < len(word):
            for latin, cyrillic in LATIN_TO_CYRILLIC:
                if word.startswith(latin, i):
                    other, i = other + cyrillic, i + len(latin)
                    break
            else:
                other, i = other + word[i], i + 1
    return other if other != word else ""
