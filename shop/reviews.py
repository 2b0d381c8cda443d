"""Product reviews (CAT-4): who may write one, writing it, moderating it, and what the product page shows.

Only a registered, active customer who bought and received the product may review it, once. Whether they
received it is the orders app's answer, asked through ``SHOP_REVIEW_ELIGIBILITY`` (shop/hooks.py); every review
waits for a moderator before it is shown."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Window
from django.utils import timezone

from . import hooks
from .models import Review

SIGN_IN = "sign_in"
INACTIVE = "inactive"
NOT_A_BUYER = "not_a_buyer"
ALREADY_REVIEWED = "already_reviewed"
MAX_RATING = 5


class ReviewNotAllowed(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def review_refusal(user, product) -> str | None:
    """Why `user` may not review `product` (one of the reason constants above), or None when they may."""
    if user is None or not user.is_authenticated:
        return SIGN_IN
    if not user.is_active:
        return INACTIVE
    if Review.objects.filter(product=product, user=user).exists():
        return ALREADY_REVIEWED
    if not hooks.has_received_product(user=user, product=product):
        return NOT_A_BUYER
    return None


def can_review(user, product) -> bool:
    """CAT-4: authenticated, active, has received the product, and has not reviewed it yet."""
    return review_refusal(user, product) is None


def submit_review(*, user, product, rating: int, text: str, language: str) -> Review:
    """Save a review awaiting moderation; ReviewNotAllowed if the customer may not write it (also when a
    concurrent request saved theirs first: the database allows one review per customer and product)."""
    reason = review_refusal(user, product)
    if reason:
        raise ReviewNotAllowed(reason)
    review = Review(product=product, user=user, rating=rating, text=text, language=language)
    review.full_clean(validate_constraints=False)  # the unique constraint is checked by the INSERT below
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:
        raise ReviewNotAllowed(ALREADY_REVIEWED) from exc
    return review


def moderate_reviews(reviews, *, status: str, moderator) -> int:
    """Approve or reject reviews, recording who and when. Saved one by one so that each save bumps the
    catalogue version (shop/receivers.py) and the product page shows the change at once."""
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        # Locked by primary key alone: the admin's queryset may carry joins FOR UPDATE cannot take.
        for review in Review.objects.filter(pk__in=reviews.values("pk")).order_by("pk").select_for_update():
            review.status = status
            review.moderated_at = now
            review.moderated_by = moderator
            review.save(update_fields=["status", "moderated_at", "moderated_by"])
            changed += 1
    return changed


# --- What the product page shows --------------------------------------------------------------------------------


def stars(rating: int) -> str:
    rating = max(0, min(MAX_RATING, int(rating)))
    return "★" * rating + "☆" * (MAX_RATING - rating)


def author_name(user) -> str:
    """Only a first name is ever shown (never a surname or e-mail); "" when there is none."""
    if user.first_name:
        return user.first_name.strip()
    return (user.full_name or "").strip().split(" ")[0]


@dataclass
class ReviewSummary:
    count: int = 0
    average: Decimal | None = None
    reviews: list = field(default_factory=list)

    @property
    def average_stars(self) -> str:
        return stars(self.average.to_integral_value(ROUND_HALF_UP)) if self.average is not None else ""


def product_reviews(product) -> ReviewSummary:
    """Approved reviews of a product, newest first, with the average rating: one query however many (the count
    and the average over all of them as window functions beside the newest shown; issue 15)."""
    approved = Review.objects.filter(product=product, status=Review.Status.APPROVED)
    limit = settings.SHOP_PRODUCT_PAGE_REVIEWS
    if limit <= 0:
        totals = approved.aggregate(average=Avg("rating"), count=Count("id"))
        shown = []
    else:
        shown = list(
            approved.select_related("user")
            .only("rating", "text", "created_at", "user__first_name", "user__full_name")
            .annotate(all_count=Window(Count("id")), all_average=Window(Avg("rating")))
            .order_by("-created_at", "-id")[:limit]
        )
        totals = {
            "count": shown[0].all_count if shown else 0,
            "average": shown[0].all_average if shown else None,
        }
    for review in shown:
        review.author = author_name(review.user)
        review.stars = stars(review.rating)
    average = totals["average"]
    if average is not None:
        average = Decimal(str(average)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return ReviewSummary(count=totals["count"], average=average, reviews=shown)
