"""A stand-in for the loyalty app's bonuses (CPN-2) as a second discount source, for the registry's tests:
registered with ``override_settings(SHOP_DISCOUNT_SOURCES=[..., "tests.fake_discounts.FakeBonusSource"])``.

It has what the real one will have, in miniature: a member's balance, a cap of `PAY_PERCENT` of the goods, the
offer spread over the lines with the shop's allocation, and a ledger of what `commit` and `release` did."""

from decimal import ROUND_DOWN, Decimal

from orders.discount_sources import DiscountSource, Offer
from orders.models import DiscountKind

PAY_PERCENT = 30  # a tier may pay at most this share of the goods total with bonuses


class FakeBonusSource(DiscountSource):
    kind = DiscountKind.BONUSES.value
    label = DiscountKind.BONUSES.label
    # Set by the tests (class attributes: the registry keeps one instance per settings value).
    balance = Decimal("0")
    ledger: list = []  # ("spend" | "give back", order number, amount), in order
    asked: list = []  # (slot, locked) of every `offer` call

    @classmethod
    def reset(cls, balance="0"):
        cls.balance = Decimal(balance)
        cls.ledger = []
        cls.asked = []

    def offer(self, *, lines, amounts, customer, email, now, slot, locked=False):
        FakeBonusSource.asked.append((slot, locked))
        if customer is None:
            return None  # bonuses are a member's: a guest is offered nothing and told nothing
        cap = (sum(amounts, Decimal(0)) * PAY_PERCENT / 100).quantize(Decimal("1"), rounding=ROUND_DOWN)
        amount = min(self.balance, cap)
        if amount <= 0:
            return Offer.refused(kind=self.kind, refusal="You have no bonuses to spend on these goods.")
        return Offer.spread(
            kind=self.kind, amount=amount, over=amounts, description=f"Bonuses ({amount:.0f})", subject=customer
        )

    def applied_message(self, offer):
        return f"{offer.amount:.0f} bonuses will pay for part of this order."

    def commit(self, *, order, offer, lines):
        assert sum(line.discount_share for line in lines) == offer.amount
        FakeBonusSource.ledger.append(("spend", order.number, offer.amount))

    def release(self, *, order):
        if ("give back", order.number, order.discount_total) not in FakeBonusSource.ledger:
            FakeBonusSource.ledger.append(("give back", order.number, order.discount_total))
