"""Row locks for what two requests or sweeps can race on: the bonus account (every balance change holds it)."""

from .models import BonusAccount


def account_for_update(pk) -> BonusAccount:
    return BonusAccount.objects.select_for_update(of=("self",)).select_related("tier", "next_tier").get(pk=pk)


def account_of_user_for_update(user_id) -> BonusAccount | None:
    return (
        BonusAccount.objects.select_for_update(of=("self",))
        .select_related("tier", "next_tier")
        .filter(user_id=user_id)
        .first()
    )
