"""Tables of the loyalty programme (LOY-1..10): a ledger, not a counter.

- `Tier`: the admin-edited tier table (LOY-3), seeded by a data migration with the programme's values.
- `BonusAccount`: one per customer and per confirmed phone (LOY-1), its tier with the date it took effect (LOY-4)
  and its `balance`, a cached sum kept by the services under the account's row lock (never negative).
- `BonusLot`: bonuses of one origin with their own expiry (LOY-7); spending draws from lots, soonest expiry first.
- `BonusEntry`: the append-only log; every row has a database-unique idempotency key, so a sweep or a signal that
  runs twice can never double anything. Invariant: balance = Σ entries = Σ lots' remaining ≥ 0.
- `PendingAccrual`: what a paid order line will earn and when (LOY-6), held while its goods are being returned.
- `SpentBonus`: which lots paid for which order line, so a cancelled order or a returned line gives them back.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tier(models.Model):
    """LOY-3: a tier is reached by purchases of the last 365 days, order count AND sum."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), unique=True, help_text=_("Lowest tier first."))
    min_orders = models.PositiveIntegerField(_("orders in 365 days, at least"), default=0)
    min_sum = models.DecimalField(_("purchases in 365 days, at least, KZT"), max_digits=14, decimal_places=2, default=0)
    # xgettext:no-python-format
    earn_percent = models.DecimalField(_("earns, % of the paid goods"), max_digits=5, decimal_places=2)
    # xgettext:no-python-format
    pay_percent = models.DecimalField(_("may pay, % of the goods"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ("position",)
        constraints = [
            models.CheckConstraint(
                condition=Q(earn_percent__gte=0, earn_percent__lte=100, pay_percent__gte=0, pay_percent__lte=100)
                & Q(min_sum__gte=0),
                name="tier_percents_0_to_100",
            ),
        ]

    def __str__(self):
        return self.name


class BonusAccount(models.Model):
    # ACC-3: when the customer deletes their account, the ledger stays (accounting) but loses the phone and the
    # link to the customer (`closed_at` says when).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        related_name="bonus_account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    phone = models.CharField(_("confirmed phone"), max_length=20, unique=True, null=True, blank=True)
    closed_at = models.DateTimeField(_("closed (account deleted)"), null=True, blank=True, editable=False)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), related_name="+", on_delete=models.PROTECT)
    tier_since = models.DateField(_("tier since"))
    next_tier = models.ForeignKey(
        Tier, verbose_name=_("next tier"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    next_tier_from = models.DateField(_("next tier from"), null=True, blank=True, help_text=_("LOY-4: the day after."))
    balance = models.IntegerField(_("balance, bonuses"), default=0)
    expiry_mail_sent_at = models.DateTimeField(_("last expiry reminder"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bonus account")
        verbose_name_plural = _("bonus accounts")
        ordering = ("-joined_at",)
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="bonusaccount_balance_not_negative")]
        permissions = [
            ("adjust_bonuses", _("Can adjust bonus balances (within the Support limit)")),
            ("grant_promotion_bonuses", _("Can grant promotion bonuses")),
        ]

    def __str__(self):
        return f"{self.user} ({self.phone})"


class LotSource(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    PROMOTION = "promotion", _("Promotion")
    USEFUL_ACTION = "useful", _("Useful action")
    RESTORED = "restored", _("Returned goods")
    ADJUSTMENT = "adjustment", _("Manual adjustment")


class BonusLot(models.Model):
    account = models.ForeignKey(BonusAccount, verbose_name=_("account"), related_name="lots", on_delete=models.PROTECT)
    source = models.CharField(_("source"), max_length=12, choices=LotSource.choices)
    amount = models.PositiveIntegerField(_("amount"))
    remaining = models.IntegerField(_("remaining"))
    accrued_at = models.DateTimeField(_("accrued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, help_text=_("Empty: never."))
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bonus lot")
        verbose_name_plural = _("bonus lots")
        ordering = ("accrued_at", "id")
        indexes = [
            models.Index(fields=("expires_at",), condition=Q(remaining__gt=0), name="bonuslot_live_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0, remaining__lte=F("amount")), name="bonuslot_remaining_within_amount"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.remaining}/{self.amount}"


class EntryKind(models.TextChoices):
    ACCRUE = "accrue", _("Accrued")
    SPEND = "spend", _("Spent")
    RELEASE = "release", _("Given back (order cancelled)")
    EXPIRE = "expire", _("Expired")
    CLAWBACK = "clawback", _("Taken back (goods returned)")
    RESTORE = "restore", _("Restored (goods returned)")
    PROMOTION = "promotion", _("Promotion")
    USEFUL_ACTION = "useful", _("Useful action")
    ADJUST = "adjust", _("Manual adjustment")


class BonusEntry(models.Model):
    """One row of the append-only log; `amount` is signed (credit > 0, debit < 0)."""

    account = models.ForeignKey(
        BonusAccount, verbose_name=_("account"), related_name="entries", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.IntegerField(_("amount"))
    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    lot = models.ForeignKey(
        BonusLot, verbose_name=_("lot"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("bonus log entry")
        verbose_name_plural = _("bonus log")
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=("account", "at"), name="bonusentry_account_at")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="adjust") | ~Q(reason=""), name="bonusentry_adjust_has_reason")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:+d}"


class PendingAccrual(models.Model):
    """LOY-5/6: one order line's bonuses to come. `base` is the money paid for the line's bonus-earning goods;
    `due_at` is set once the order is both paid and delivered (due = max(paid, delivered) + 7 days)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Pending")
        ACCRUED = "accrued", _("Accrued")
        CANCELLED = "cancelled", _("Cancelled")

    account = models.ForeignKey(
        BonusAccount, verbose_name=_("account"), related_name="pending", on_delete=models.PROTECT
    )
    order = models.ForeignKey("orders.Order", verbose_name=_("order"), related_name="+", on_delete=models.PROTECT)
    order_line = models.OneToOneField(
        "orders.OrderLine", verbose_name=_("order line"), related_name="+", on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    returned_quantity = models.PositiveIntegerField(_("returned quantity"), default=0)
    held_by = models.CharField(_("held by return"), max_length=120, blank=True)
    base = models.DecimalField(_("paid for earning goods, KZT"), max_digits=12, decimal_places=2)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    accrued = models.PositiveIntegerField(_("accrued bonuses"), default=0)
    clawed_back = models.PositiveIntegerField(_("taken back bonuses"), default=0)

    class Meta:
        verbose_name = _("pending accrual")
        verbose_name_plural = _("pending accruals")
        ordering = ("due_at", "id")
        indexes = [
            models.Index(fields=("due_at",), condition=Q(status="waiting"), name="pendingaccrual_waiting_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=F("quantity"), base__gte=0), name="pendingaccrual_quantities"
            ),
        ]

    def __str__(self):
        return f"{self.order_line_id}: {self.get_status_display()}"


class SpentBonus(models.Model):
    """Bonuses of one lot that paid for one order line (LOY-8); `given_back` counts what release/restore returned."""

    account = models.ForeignKey(BonusAccount, verbose_name=_("account"), related_name="+", on_delete=models.PROTECT)
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), related_name="+", on_delete=models.PROTECT
    )
    lot = models.ForeignKey(BonusLot, verbose_name=_("lot"), related_name="spent", on_delete=models.PROTECT)
    amount = models.PositiveIntegerField(_("amount"))
    given_back = models.PositiveIntegerField(_("given back"), default=0)

    class Meta:
        verbose_name = _("spent bonuses")
        verbose_name_plural = _("spent bonuses")
        constraints = [
            models.CheckConstraint(condition=Q(given_back__lte=F("amount")), name="spentbonus_given_back_le_amount"),
        ]

    def __str__(self):
        return f"{self.amount} → line {self.order_line_id}"


class ReturnHold(models.Model):
    """What `returned_goods.return_requested` held, by its key, so withdrawing it releases exactly that."""

    key = models.CharField(_("return key"), max_length=120, unique=True)
    order = models.ForeignKey("orders.Order", verbose_name=_("order"), related_name="+", on_delete=models.PROTECT)
    released = models.BooleanField(_("released"), default=False)
    settled_shortfall = models.DecimalField(_("shortfall"), max_digits=12, decimal_places=2, null=True, blank=True)
    settled_back = models.PositiveIntegerField(_("bonuses back"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("return hold")
        verbose_name_plural = _("return holds")

    def __str__(self):
        return self.key


class PhoneConfirmation(models.Model):
    """LOY-1: a one-time code sent to a phone; only its keyed hash is stored, it expires, and it allows a few
    attempts. A new code replaces the customer's previous one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), related_name="+", on_delete=models.CASCADE
    )
    phone = models.CharField(_("phone"), max_length=20)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone confirmation")
        verbose_name_plural = _("phone confirmations")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"
