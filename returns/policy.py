"""Returns and refund rules (RET-1..7, REF-1/2/5, CPN-3) as pure functions of plain values: no ORM, no settings.

Every day count, switch and calendar is an argument: `returns.deadlines` reads them from settings and the shop's
calendar and time zone and calls these, so each rule reads in one place and is tested without a database.

How days are counted. A period of n days "from" an event (delivery, a request, a claim) starts on the day after
the event, in the shop's time zone, and ends at the end of its n-th day: delivered on 1 December at any hour, the
14-day withdrawal period runs 2–15 December and a request on 15 December 23:59 local is in time. Calendar days
count every day (a public holiday inside the period does not extend it); working days skip weekends and Kazakhstan
public holidays (`base.workdays.WorkingCalendar`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from enum import StrEnum

from base.money import ZERO, from_tiyn_count, tiyn_count
from base.workdays import WorkingCalendar, deadline_after_calendar_days, deadline_after_working_days
from orders.payment_methods import RefundChannel

# REF-5 channels, as payment adapters declare them (`PaymentAdapter.refund_channel`).
CARD = RefundChannel.CARD
EWALLET = RefundChannel.EWALLET
CASH = RefundChannel.CASH


def _local_date(moment: datetime, tz: tzinfo) -> date:
    """The shop-local calendar day of an aware moment: the law counts days as the shop's customers live them."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required (the day depends on the shop's time zone)")
    return moment.astimezone(tz).date()


def _end_of_day(day: date, tz: tzinfo) -> datetime:
    """The last representable moment of `day` in `tz` (23:59:59.999999 local)."""
    return datetime.combine(day, time.max, tzinfo=tz)


# --- RET-1: the withdrawal window ----------------------------------------------------------------------------------


class Withdrawal(StrEnum):
    """Where an order stands for a withdrawal (RET-1)."""

    NOT_DELIVERED = "not_delivered"  # before delivery the order is refused or cancelled instead, at any time
    OPEN = "open"
    EXPIRED = "expired"


def withdrawal_last_day(delivered_at: datetime, *, days: int, tz: tzinfo) -> date:
    """RET-1: the last shop-local day on which a withdrawal is accepted — the delivery day plus `days`.

    The period is `days` calendar days counted from the day after the goods were handed over (seed 002, art. 24(1):
    "в 14-дневен срок, считано от датата на приемане на стоките"; seed 000: "в течение 14 дней с момента покупки
    (передачи курьером товара заказчику)"): the delivery day itself is not counted, so delivered on 1 December the
    last day is 15 December. Calendar days: a public holiday (16 December) inside the period does not extend it.
    """
    return deadline_after_calendar_days(_local_date(delivered_at, tz), days)


def withdrawal_deadline(delivered_at: datetime, *, days: int, tz: tzinfo) -> datetime:
    """RET-1: the last moment (aware, in `tz`) a withdrawal is accepted: the end of `withdrawal_last_day`.

    Delivered 1 December 14:00 Asia/Almaty, 14 days → 15 December 23:59:59.999999 Asia/Almaty: a request at
    15 December 23:59 is accepted, one at 16 December 00:01 is refused.
    """
    return _end_of_day(withdrawal_last_day(delivered_at, days=days, tz=tz), tz)


def withdrawal_state(delivered_at: datetime | None, now: datetime, *, days: int, tz: tzinfo) -> Withdrawal:
    """RET-1: NOT_DELIVERED before delivery (the customer refuses or cancels the order instead, at any time), OPEN
    up to and including the withdrawal deadline, EXPIRED after it."""
    if delivered_at is None:
        return Withdrawal.NOT_DELIVERED
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("an aware datetime is required for now")
    return Withdrawal.OPEN if now <= withdrawal_deadline(delivered_at, days=days, tz=tz) else Withdrawal.EXPIRED


def withdrawal_open(delivered_at: datetime | None, now: datetime, *, days: int, tz: tzinfo) -> bool:
    """RET-1: True while a delivered order may be withdrawn from; False before delivery (see `withdrawal_state`
    for why) and after the deadline."""
    return withdrawal_state(delivered_at, now, days=days, tz=tz) is Withdrawal.OPEN


# --- RET-2, RET-3: what may come back ------------------------------------------------------------------------------

NOT_RETURNABLE = "not_returnable"


@dataclass(frozen=True)
class Refusal:
    """Why a line cannot be returned: a code for the program and the reason shown to the customer."""

    code: str
    reason: str = ""


def returnable_refusal(*, returnable: bool, reason: str = "") -> Refusal | None:
    """RET-2: a line whose goods are not returnable (the CAT-2 flag frozen on the order line) is refused with the
    product's reason (hygiene, personalised, digital, ...); None when the line may be returned. An empty reason
    still refuses — the page then says only that the goods are not returnable."""
    if returnable:
        return None
    return Refusal(code=NOT_RETURNABLE, reason=reason.strip())


# RET-2: what the customer declares about the goods they send back (seed 000 "не нарушайте пломбы и фабричные
# ярлыки"; seed 002 "оригиналната опаковка и пълната окомплектовка").
UNUSED = "unused"
SEALS_AND_LABELS_INTACT = "seals_and_labels_intact"
ORIGINAL_PACKAGING = "original_packaging"
COMPLETE_SET = "complete_set"
RETURN_CONDITIONS = (UNUSED, SEALS_AND_LABELS_INTACT, ORIGINAL_PACKAGING, COMPLETE_SET)


def unmet_conditions(declared: Iterable[str]) -> list[str]:
    """RET-2: the return conditions the customer has not declared, in the order of RETURN_CONDITIONS (empty: all
    met). A withdrawal without a defect needs all of them; a defect return is judged at inspection (RET-7)."""
    given = set(declared)
    return [condition for condition in RETURN_CONDITIONS if condition not in given]


def returnable_quantity(delivered: int, already_requested: int) -> int:
    """RET-3: how many units of a line may still be asked back — never more than delivered minus already
    requested, never negative (a line over-requested by an old record allows 0, not a negative number)."""
    if delivered < 0 or already_requested < 0:
        raise ValueError("quantities must not be negative")
    return max(delivered - already_requested, 0)


# --- RET-5, RET-7: the deadlines after the request ----------------------------------------------------------------


def send_back_deadline(requested_at: datetime, *, days: int, tz: tzinfo) -> date:
    """RET-5: the last shop-local day to send the goods back: `days` calendar days from the request, counted from
    the day after it (seed 002, art. 24(5): "в срок от 14 дни от датата, на която Потребителят е упражнил правото си
    на отказ"). Requested on 2 December → send by 16 December; past it the request lapses."""
    return deadline_after_calendar_days(_local_date(requested_at, tz), days)


def send_back_lapsed(requested_at: datetime, now: datetime, *, days: int, tz: tzinfo) -> bool:
    """RET-5: True once the send-back deadline's day is over (shop-local) — the request lapses."""
    return _local_date(now, tz) > send_back_deadline(requested_at, days=days, tz=tz)


def inspection_deadline(received_on: date, *, working_days: int, calendar: WorkingCalendar) -> date:
    """RET-7: the day by which the inspection answers — `working_days` working days after the goods were received
    (seed 002: "до 5 работни дни след получаване"), skipping weekends and Kazakhstan public holidays."""
    return deadline_after_working_days(received_on, working_days, calendar)


# --- REF-1: what was actually paid for the returned units ---------------------------------------------------------


def unit_refunds(paid_total: Decimal, quantity: int) -> list[Decimal]:
    """REF-1: what each unit of a line paid, to the tiyn, in the order units come back.

    The line's paid total (its price minus its discount share, frozen on the order line) is split evenly; the tiyn
    that do not divide go one each to the LAST units, so the units returned first never refund more than their
    exact share, every unit is within one tiyn of paid/quantity, and all units together are exactly the paid total.
    1 000.00 over 3 units → 333.33, 333.33, 333.34.
    """
    if quantity < 1:
        raise ValueError("a line has at least one unit")
    paid = tiyn_count(paid_total, "paid total")
    base, remainder = divmod(paid, quantity)
    return [from_tiyn_count(base + (1 if unit >= quantity - remainder else 0)) for unit in range(quantity)]


def refund_for_units(line_paid_total: Decimal, line_quantity: int, already_returned_units: int, units: int) -> Decimal:
    """REF-1: the refund for `units` more units of a line of which `already_returned_units` were refunded before:
    the next units of `unit_refunds`, so successive partial returns add up to exactly the line's paid total and
    never exceed it at any step."""
    if line_quantity < 1:
        raise ValueError("a line has at least one unit")
    if already_returned_units < 0 or units < 0:
        raise ValueError("unit counts must not be negative")
    if already_returned_units + units > line_quantity:
        raise ValueError("more units returned than the line has")
    paid = tiyn_count(line_paid_total, "paid total")
    base, remainder = divmod(paid, line_quantity)
    first_with_extra_tiyn = line_quantity - remainder
    end = already_returned_units + units
    extra = max(end - max(already_returned_units, first_with_extra_tiyn), 0)
    return from_tiyn_count(base * units + extra)


@dataclass(frozen=True)
class ReturnedLine:
    """One order line in a refund: what it paid and for how many units, how many were refunded before, and how
    many come back now."""

    paid_total: Decimal
    quantity: int
    already_returned: int
    units: int


def goods_refund(lines: Iterable[ReturnedLine]) -> Decimal:
    """REF-1: the goods part of a refund — per line, what was actually paid for the units coming back
    (`refund_for_units`), summed."""
    return sum(
        (refund_for_units(line.paid_total, line.quantity, line.already_returned, line.units) for line in lines), ZERO
    )


# --- REF-2: delivery, return shipping and deductions --------------------------------------------------------------

SHOP = "shop"
CUSTOMER = "customer"


def delivery_refund(
    *,
    delivery_paid: Decimal,
    defective: bool,
    full_withdrawal: bool,
    refund_delivery_on_full_withdrawal: bool,
    already_refunded: Decimal = ZERO,
) -> Decimal:
    """REF-2: the delivery cost comes back only when the goods were defective (seed 000: "а также стоимость
    доставки, если у товара обнаружится брак"; seed 002: transport costs are not refunded on a withdrawal). Shops
    whose law refunds the standard delivery when the whole order is withdrawn set
    `refund_delivery_on_full_withdrawal`. What was already refunded of the delivery is never refunded twice."""
    delivery = tiyn_count(delivery_paid, "delivery paid")
    done = tiyn_count(already_refunded, "delivery already refunded")
    if not (defective or (full_withdrawal and refund_delivery_on_full_withdrawal)):
        return ZERO
    return from_tiyn_count(max(delivery - done, 0))


def return_shipping_payer(*, defective: bool) -> str:
    """REF-2: who pays for sending the goods back — the SHOP for defective goods, else the CUSTOMER (seed 002,
    art. 24(5): "за своя сметка"; "Транспортните разходи за връщането на продукта се поемат от купувача")."""
    return SHOP if defective else CUSTOMER


@dataclass(frozen=True)
class Deduction:
    """RET-7: a documented deduction from a refund (damage found at inspection): an amount and its reason."""

    amount: Decimal
    reason: str

    def __post_init__(self):
        tiyn_count(self.amount, "deduction")
        if not self.reason.strip():
            raise ValueError("a deduction needs its reason")


def refund_after_deductions(amount: Decimal, deductions: Iterable[Deduction]) -> Decimal:
    """REF-2/RET-7: the refund less its documented deductions, never below zero."""
    total = tiyn_count(amount, "amount") - sum(tiyn_count(d.amount, "deduction") for d in deductions)
    return from_tiyn_count(max(total, 0))


# --- REF-5: the refund deadline by payment type -------------------------------------------------------------------


@dataclass(frozen=True)
class DayCount:
    """A refund period: `days` working days (`working`) or calendar days."""

    days: int
    working: bool


def refund_deadline(
    claimed_at: datetime,
    *,
    channel: str,
    days_by_channel: Mapping[str, DayCount],
    calendar: WorkingCalendar,
    tz: tzinfo,
) -> date:
    """REF-5: the last day the refund may reach the customer, counted from the shop-local day of the claim.

    Card (CARD): sent at once, at the latest 3 working days on the Kazakhstan calendar (seed 003: "3 жұмыс күні
    ішінде ... мереке/демалыс күндерін есепке алмай"); cash and cash on delivery (CASH): 10 calendar days (seed 001:
    "не позднее через 10 дней"); Kaspi and other e-payment systems (EWALLET): 10 calendar days (seed 001: "в
    течение 10 календарных дней"). The counts come in `days_by_channel`; an unknown channel is an error.
    """
    try:
        period = days_by_channel[channel]
    except KeyError:
        raise ValueError(f"no refund period for the channel {channel!r}") from None
    day = _local_date(claimed_at, tz)
    if period.working:
        return deadline_after_working_days(day, period.days, calendar)
    return deadline_after_calendar_days(day, period.days)


# --- CPN-3: the coupon comes back ---------------------------------------------------------------------------------


def coupon_reactivates(
    *,
    whole_purchase_returned: bool,
    reason_is_defect: bool,
    delivered_at: datetime | None,
    requested_at: datetime,
    days: int,
    tz: tzinfo,
) -> bool:
    """CPN-3: the order's coupon is reactivated when the whole purchase comes back because of a defect and the
    return was asked for within `days` calendar days of delivery (seed 000: "в течение 14 календарных дней ...
    полный возврат розничной покупки, связанный с дефектом"), counted like RET-1: delivered 1 December → a request
    on 15 December qualifies, one on 16 December does not."""
    if not (whole_purchase_returned and reason_is_defect) or delivered_at is None:
        return False
    return _local_date(requested_at, tz) <= deadline_after_calendar_days(_local_date(delivered_at, tz), days)


# --- RET-3..8: the states of a return request ---------------------------------------------------------------------

SUBMITTED = "submitted"
AWAITING_GOODS = "awaiting_goods"
RECEIVED = "received"
ACCEPTED = "accepted"
REJECTED = "rejected"
REFUNDED = "refunded"
EXCHANGED = "exchanged"
LAPSED = "lapsed"
CANCELLED = "cancelled"

# Actions on a request (what the event log records).
SHIP = "ship"  # the customer sent the goods (tracking number) or the courier picked them up
CANCEL = "cancel"  # the customer withdraws the request before the goods are sent
LAPSE = "lapse"  # RET-5: not sent within the send-back period (the sweep)
RECEIVE = "receive"  # the goods reached the shop
ACCEPT = "accept"  # RET-7: inspected and accepted, perhaps with a documented deduction
ACCEPT_ON_PROOF = "accept_on_proof"  # RET-6: refund on a proof of shipment, where the shop's switch allows it
REJECT = "reject"  # RET-7: not in saleable condition, with the reason; the goods go back
EXCHANGE = "exchange"  # RET-8: the same item (or another, the difference settled) instead of money
REFUND = "refund"  # the money went out

RETURN_TRANSITIONS: dict[tuple[str, str], str] = {
    (SUBMITTED, SHIP): AWAITING_GOODS,
    (SUBMITTED, CANCEL): CANCELLED,
    (SUBMITTED, LAPSE): LAPSED,
    (SUBMITTED, RECEIVE): RECEIVED,  # goods that arrive without a word first
    (AWAITING_GOODS, RECEIVE): RECEIVED,
    (AWAITING_GOODS, ACCEPT_ON_PROOF): ACCEPTED,
    (RECEIVED, ACCEPT): ACCEPTED,
    (RECEIVED, REJECT): REJECTED,
    (RECEIVED, EXCHANGE): EXCHANGED,
    (ACCEPTED, RECEIVE): ACCEPTED,  # RET-6: goods refunded on proof of shipment arrive later
    (ACCEPTED, REFUND): REFUNDED,
}
OPEN_RETURN_STATES = (SUBMITTED, AWAITING_GOODS, RECEIVED, ACCEPTED)
# The request still holds its units: a lapsed, cancelled or rejected request gives them back to ask again.
HOLDING_STATES = (SUBMITTED, AWAITING_GOODS, RECEIVED, ACCEPTED, REFUNDED, EXCHANGED)


class NotAllowed(ValueError):
    """An action the request's state does not allow."""


def next_state(state: str, action: str, *, refund_on_proof_of_shipment: bool = False) -> str:
    """The state an action leads to from `state`; NotAllowed when the table has no such move. ACCEPT_ON_PROOF is
    only there for shops whose switch (RET-6) lets the refund go on a proof of shipment."""
    if action == ACCEPT_ON_PROOF and not refund_on_proof_of_shipment:
        raise NotAllowed(f"{action} needs the proof-of-shipment switch (RET-6)")
    try:
        return RETURN_TRANSITIONS[(state, action)]
    except KeyError:
        raise NotAllowed(f"{action} is not allowed from {state}") from None


def allowed_actions(state: str, *, refund_on_proof_of_shipment: bool = False) -> list[str]:
    """The actions the table allows from `state`, in the table's order."""
    return [
        action
        for (source, action) in RETURN_TRANSITIONS
        if source == state and (action != ACCEPT_ON_PROOF or refund_on_proof_of_shipment)
    ]


def refund_allowed_before_inspection(*, shipped: bool, refund_on_proof_of_shipment: bool) -> bool:
    """RET-6: the refund may wait until the goods are back; a shop that switches it on pays on a proof of
    shipment (a tracking number or the courier's pickup)."""
    return refund_on_proof_of_shipment and shipped


# --- RET-8, WAR-4: exchanging instead of refunding ----------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeSettlement:
    """Who owes whom when returned units are exchanged: `credit` (what the customer actually paid for the units
    coming back, REF-1) against `replacement` (what the replacement is worth). `covered` is the part of the
    replacement the customer does not pay again; the shop refunds `refund` or the customer pays `surcharge` —
    never both; `covered + surcharge == replacement`."""

    credit: Decimal
    replacement: Decimal
    covered: Decimal
    refund: Decimal
    surcharge: Decimal


def replacement_price(unit_price: Decimal, quantity: int) -> Decimal:
    """RET-8: what `quantity` units of the replacement cost at its current price (to the tiyn)."""
    if quantity < 1:
        raise ValueError("an exchange gives at least one unit")
    return from_tiyn_count(tiyn_count(unit_price, "unit price") * quantity)


def like_for_like_value(unit_refunds_of_returned: Iterable[Decimal], quantity: int) -> Decimal:
    """RET-8/WAR-4: the same item for the same item — the `quantity` replacement units are worth exactly what the
    first `quantity` returned units paid (REF-1 per-unit amounts, in the order units come back), whatever the
    price says today: a like-for-like exchange neither costs a surcharge nor earns a refund for those units. Only
    returned units left unreplaced are refunded."""
    units = list(unit_refunds_of_returned)
    if quantity < 1:
        raise ValueError("an exchange gives at least one unit")
    if quantity > len(units):
        raise ValueError("more units exchanged than come back")
    return from_tiyn_count(sum(tiyn_count(unit, "unit paid") for unit in units[:quantity]))


def exchange_settlement(*, credit: Decimal, replacement: Decimal, surcharge_allowed: bool = True) -> ExchangeSettlement:
    """RET-8/WAR-4: the price difference of an exchange. Cheaper replacement → the shop refunds credit −
    replacement; dearer → the customer pays replacement − credit; equal → nothing. A warranty exchange for the same
    item (`surcharge_allowed=False`) never asks the customer for money: the shop bears any rise in price.

    5 000.00 paid, replacement 4 200.00 → refund 800.00; replacement 6 500.00 → surcharge 1 500.00."""
    paid = tiyn_count(credit, "credit")
    worth = tiyn_count(replacement, "replacement")
    surcharge = max(worth - paid, 0) if surcharge_allowed else 0
    return ExchangeSettlement(
        credit=from_tiyn_count(paid),
        replacement=from_tiyn_count(worth),
        covered=from_tiyn_count(worth - surcharge),
        refund=from_tiyn_count(max(paid - worth, 0)),
        surcharge=from_tiyn_count(surcharge),
    )
