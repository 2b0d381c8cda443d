"""The customer's warranty claims in the personal cabinet (ACC-3): their state and the answer's deadline, shown in the
cabinet's "Returns and claims" section (the returns page links here)."""

from django.core.paginator import Paginator
from django.views.decorators.http import require_GET

from accounts.cabinet import cabinet_view, render_cabinet

from .selectors import claims_of

CLAIMS_PER_PAGE = 20


@cabinet_view
@require_GET
def my_claims(request):
    """Only this customer's claims, newest first; the same few queries for 1 or 1000."""
    page = Paginator(claims_of(request.user), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render_cabinet(request, "returns/warranty/cabinet_claims.html", "returns", {"page": page})
