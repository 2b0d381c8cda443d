"""Bonuses as the second source of the order's one discount (CPN-2, LOY-8), registered in SHOP_DISCOUNT_SOURCES.

The slot holds ``{"kind": "bonuses"}``. A member may pay with bonuses up to the tier's % of the goods that may be
paid with bonuses (`bonus_payable`); inside `place_order` the account is locked and the balance re-read, and an
offer that shrank meanwhile (another checkout spent the same bonuses) is refused with a clear message rather than
silently changed. Spent bonuses are spread over the payable lines like any discount, so refunds and accruals read
them per line."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from orders.discount_sources import DiscountSource, Offer
from orders.models import DiscountKind
from shop.models import Product

from . import locks, policy, selectors, services


def _payable_flags(lines) -> list[bool]:
    """Whether each cart line may be paid with bonuses (CAT-2's effective flag); the categories are read in one
    query when the lines do not carry them."""
    products = [line.variant.product for line in lines]
    missing = [p.pk for p in products if not Product.category.is_cached(p)]
    if missing:
        loaded = {p.pk: p for p in Product.objects.select_related("category").filter(pk__in=missing)}
        products = [loaded.get(p.pk, p) for p in products]
    return [product.is_bonus_payable for product in products]


class BonusSource(DiscountSource):
    kind = DiscountKind.BONUSES.value
    label = DiscountKind.BONUSES.label
    field = "discount_kind"

    def offer(self, *, lines, amounts, customer, email, now, slot, locked=False):
        account = selectors.account_of(customer)
        if account is None:
            return None  # not a member: nothing to offer, nothing to say
        payable = [amount if ok else Decimal(0) for amount, ok in zip(amounts, _payable_flags(lines), strict=True)]
        tier = selectors.effective_tier(account, services.local_date(now))
        cap = policy.redemption_cap(sum(payable, Decimal(0)), pay_percent=tier.pay_percent)
        account.cart_cap, account.cart_tier = cap, tier  # for the checkout page: the cap of this cart and its tier
        amount = policy.spendable(balance=selectors.live_balance(account, at=now), cap=cap)
        if locked:
            seen = amount
            account = locks.account_for_update(account.pk)
            amount = policy.spendable(balance=selectors.live_balance(account, at=now), cap=cap)
            if amount < seen:
                return Offer.refused(
                    kind=self.kind,
                    refusal=_(
                        "Your bonuses were just spent on another order: the balance is now %(balance)s. "
                        "Check the discount and confirm again."
                    )
                    % {"balance": account.balance},
                    description=str(self.label),
                    subject=account,
                )
        if amount <= 0:
            if account.balance <= 0:
                refusal = _("You have no bonuses to spend yet.")
            else:
                refusal = _("These goods cannot be paid with bonuses.")
            return Offer.refused(kind=self.kind, refusal=refusal, description=str(self.label), subject=account)
        return Offer.spread(
            kind=self.kind,
            amount=Decimal(amount),
            over=payable,
            description=_("Bonuses (%(amount)s)") % {"amount": amount},
            subject=account,
        )

    def applied_message(self, offer):
        return _("%(amount)s bonuses will pay for part of this order.") % {"amount": int(offer.amount)}

    def commit(self, *, order, offer, lines):
        services.spend_for_order(
            account=offer.subject, order=order, lines=lines, amount=int(offer.amount), at=order.placed_at
        )

    def release(self, *, order):
        services.release_order(order=order)
