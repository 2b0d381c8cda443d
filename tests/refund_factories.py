"""Refund builders for the finance report's tests and bench (issue 13): refunds written straight to the table, with
the claim, deadline and refund moments the test needs (the returns services decide these in real life)."""

from datetime import date, datetime
from decimal import Decimal

from base.workdays import shop_tz
from returns.models import Refund, RefundLine
from tests import factories as f


def order_with_lines(setup=None, *, items=(("10000.00", 1),), **overrides):
    """A real placed order (through the checkout) whose lines refunds can point at."""
    return f.placed_order(setup, items=items, **overrides)


def refund(
    order,
    *,
    method: str = "cod",
    reason: str = Refund.Reason.RETURN,
    status: str = Refund.Status.DUE,
    goods: str = "1000.00",
    delivery: str = "0.00",
    deductions: str = "0.00",
    deduction_reason: str = "",
    claimed_at: datetime,
    due_by: date | None = None,
    sent_at: datetime | None = None,
    refunded_at: datetime | None = None,
    provider_reference: str = "",
    lines=None,
) -> Refund:
    """One refund of `order`; `lines` are (order_line, quantity, amount) triples, by default the order's first line
    once for the goods amount."""
    goods_amount, delivery_amount, deducted = Decimal(goods), Decimal(delivery), Decimal(deductions)
    made = Refund.objects.create(
        order=order,
        reason=reason,
        status=status,
        amount=goods_amount + delivery_amount - deducted,
        goods_amount=goods_amount,
        delivery_amount=delivery_amount,
        deductions=deducted,
        deduction_reason=deduction_reason,
        payment_method=method,
        due_by=due_by,
        sent_at=sent_at,
        refunded_at=refunded_at,
        provider_reference=provider_reference,
    )
    Refund.objects.filter(pk=made.pk).update(created_at=claimed_at)  # auto_now_add: set the claim moment after
    made.created_at = claimed_at
    if lines is None:
        lines = ((order.lines.order_by("id").first(), 1, goods_amount),)
    RefundLine.objects.bulk_create(
        RefundLine(refund=made, order_line=line, quantity=quantity, amount=Decimal(amount))
        for line, quantity, amount in lines
    )
    return made


def local(*parts) -> datetime:
    """A moment on the shop's clock (Asia/Almaty): local(2026, 12, 8, 2, 0)."""
    return datetime(*parts, tzinfo=shop_tz())


# The hand-computed fixture of the report's tests: December 2026 seen on TODAY (shop-local).
TODAY = date(2026, 12, 20)


def december(setup=None):
    """Seven refunds around December 2026 (mixed methods, a partial refund, late ones, the time-zone edges).

    claimed in December (shop time):
      r1 cloudpayments return       done   10 000.00                 claimed 01.12 10:00, due 04.12, refunded 03.12
      r2 cloudpayments cancellation done    6 500.00 (1 500 delivery) claimed 02.12, due 07.12, refunded 08.12 02:00
         local = 07.12 21:00 UTC: late 1 day in the shop's time zone (on time if read in UTC)
      r3 kaspi return, partial (the 3 small items only, 500 deducted): sent 2 500.00, claimed 05.12, due 15.12,
         overdue 5 days
      r4 cod refused                due    10 000.00 (2 000 delivery) claimed 18.12, due 28.12: on time
      r5 cod warranty               failed  4 000.00                 claimed 10.12, due 20.12 = today: not late yet
    outside December by claim:
      r6 cod cancellation done 3 000.00, claimed 30.11 23:30 local (= 30.11 18:30 UTC), refunded 01.12 09:00 local
      r7 kaspi return due 1 200.00, claimed 01.01.2027 00:10 local (= 31.12 19:10 UTC)
    """
    order = order_with_lines(setup, items=(("10000.00", 1), ("1000.00", 3)), full_name="Әсел Нұрланқызы")
    first, second = order.lines.order_by("id")
    done, sent, due, failed = (Refund.Status.DONE, Refund.Status.SENT, Refund.Status.DUE, Refund.Status.FAILED)
    r = {}
    r["r1"] = refund(
        order,
        method="cloudpayments",
        status=done,
        goods="10000.00",
        claimed_at=local(2026, 12, 1, 10),
        due_by=date(2026, 12, 4),
        refunded_at=local(2026, 12, 3, 12),
        provider_reference="CP-1",
        lines=((first, 1, "10000.00"),),
    )
    r["r2"] = refund(
        order,
        method="cloudpayments",
        reason=Refund.Reason.CANCELLATION,
        status=done,
        goods="5000.00",
        delivery="1500.00",
        claimed_at=local(2026, 12, 2, 9),
        due_by=date(2026, 12, 7),
        refunded_at=local(2026, 12, 8, 2),
        provider_reference='=HYPERLINK("x")',
        lines=((first, 1, "5000.00"),),
    )
    r["r3"] = refund(
        order,
        method="kaspi",
        status=sent,
        goods="3000.00",
        deductions="500.00",
        deduction_reason="Упаковка повреждена",
        claimed_at=local(2026, 12, 5, 15),
        due_by=date(2026, 12, 15),
        sent_at=local(2026, 12, 6, 10),
        lines=((second, 3, "3000.00"),),
    )
    r["r4"] = refund(
        order,
        method="cod",
        reason=Refund.Reason.REFUSED,
        status=due,
        goods="8000.00",
        delivery="2000.00",
        claimed_at=local(2026, 12, 18, 11),
        due_by=date(2026, 12, 28),
        lines=((first, 1, "8000.00"),),
    )
    r["r5"] = refund(
        order,
        method="cod",
        reason=Refund.Reason.WARRANTY,
        status=failed,
        goods="4000.00",
        claimed_at=local(2026, 12, 10, 16),
        due_by=date(2026, 12, 20),
        lines=((first, 1, "4000.00"),),
    )
    r["r6"] = refund(
        order,
        method="cod",
        reason=Refund.Reason.CANCELLATION,
        status=done,
        goods="3000.00",
        claimed_at=local(2026, 11, 30, 23, 30),
        due_by=date(2026, 12, 10),
        refunded_at=local(2026, 12, 1, 9),
        lines=((second, 3, "3000.00"),),
    )
    r["r7"] = refund(
        order,
        method="kaspi",
        status=due,
        goods="1200.00",
        claimed_at=local(2027, 1, 1, 0, 10),
        due_by=date(2027, 1, 11),
        lines=((second, 1, "1000.00"),),
    )
    return r
