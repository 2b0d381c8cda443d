"""Writing a review (CAT-4). Eligibility is checked here, per customer: the product page links here for
everyone because it is cached whole and shared by all visitors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import reviews
from .models import Product
from .review_forms import ReviewForm


def _refused(request, product, reason: str):
    return render(request, "shop/review_refused.html", {"product": product, "reason": reason}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, slug):
    product = get_object_or_404(Product, slug=slug, is_active=True, category__is_active=True)
    reason = reviews.review_refusal(request.user, product)
    if reason:
        return _refused(request, product, reason)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            reviews.submit_review(
                user=request.user,
                product=product,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
                language=get_language(),
            )
        except reviews.ReviewNotAllowed as refusal:
            return _refused(request, product, refusal.reason)
        messages.success(request, _("Thank you for your review! It will appear on the product page after moderation."))
        return redirect(product.get_absolute_url())
    return render(request, "shop/review_form.html", {"product": product, "form": form})
