"""Money in tenge: the tiyn, the one rounding rule and the one way the shop writes an amount for people."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TIYN = Decimal("0.01")
ZERO = Decimal("0.00")

THIN_NO_BREAK_SPACE = "\u202f"  # between thousands: narrow, and never breaks a number over two lines
NO_BREAK_SPACE = "\u00a0"  # between the number and the sign

CURRENCY_SIGNS = {"KZT": "₸"}


def to_tiyn(value) -> Decimal:
    """`value` as a Decimal rounded to the tiyn, half up (half a tiyn goes to the larger amount)."""
    return Decimal(value).quantize(TIYN, rounding=ROUND_HALF_UP)


def is_whole_tiyn(amount: Decimal) -> bool:
    """True when `amount` has no fraction of a tiyn (at most two decimal places)."""
    return amount == amount.quantize(TIYN)


def tiyn_count(amount: Decimal, name: str = "amount") -> int:
    """A non-negative amount of whole tiyn as an integer count of tiyn (exact arithmetic for splits and sums);
    ValueError naming `name` otherwise."""
    if amount < 0:
        raise ValueError(f"{name} must not be negative")
    if not is_whole_tiyn(amount):
        raise ValueError(f"{name} must be whole tiyn (2 decimal places)")
    return int(amount * 100)


def from_tiyn_count(count: int) -> Decimal:
    """An integer count of tiyn back as an amount: 33334 → Decimal("333.34")."""
    return (Decimal(count) / 100).quantize(TIYN)


def format_money(amount, currency: str = "KZT") -> str:
    """12990 → '12 990 ₸', 1500.5 → '1 500,50 ₸': tiyn shown only when there are any, thousands split by thin
    no-break spaces and the sign held to the number by a no-break space, so an amount never breaks over two lines.
    An empty value, or one that is not a number, gives '' (a template shows nothing rather than failing)."""
    if amount in (None, ""):
        return ""
    try:
        rounded = to_tiyn(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    whole, _, frac = f"{rounded:,.2f}".partition(".")
    whole = whole.replace(",", THIN_NO_BREAK_SPACE)
    text = whole if frac == "00" else f"{whole},{frac}"
    return f"{text}{NO_BREAK_SPACE}{CURRENCY_SIGNS.get(currency, currency)}"


def format_amount_in_sentence(amount, *, places: int) -> str:
    """The number alone for a translated sentence that writes the sign itself ("… at least %(minimum)s ₸."):
    thousands split by no-break spaces, `places` decimals with a point — 50000 → '50 000', '11 500.00'.

    Those sentences are translation strings, fixed in every language's catalogue, so they keep this form;
    anything that shows an amount by itself uses `format_money`."""
    return f"{Decimal(amount):,.{places}f}".replace(",", NO_BREAK_SPACE)


def money_column(field: str, description, *, currency: str = "KZT"):
    """An admin column or read-only field (issue 16) writing `obj.<field>` as the shop does: '47 090 ₸'.

    Usable both as a ModelAdmin attribute (called as a method, with the admin first) and directly in
    `list_display` (called with the object only); sorting by the column sorts by the field."""

    def column(*args):
        return format_money(getattr(args[-1], field), currency)

    column.short_description = description
    column.admin_order_field = field
    column.__name__ = f"{field}_money"
    return column
