"""What goes into the warranty documents: the complaint form (blank or from a claim, WAR-3) and the act of
satisfaction (WAR-7). Rendering is returns.documents'."""

from __future__ import annotations

from .. import documents
from . import deadlines


def complaint_form_pdf(claim=None, *, language: str) -> bytes:
    """The complaint form: blank (on the warranty page) or pre-filled from a claim."""
    return documents.render_pdf("complaint_form", {"claim": claim, "today": deadlines.today()}, language=language)


def act_pdf(claim, *, language: str | None = None) -> bytes:
    """WAR-7: the act of satisfaction of a resolved claim (two copies: the customer keeps one)."""
    if claim.status != claim.Status.RESOLVED:
        raise ValueError("an act of satisfaction is issued only for a resolved claim")
    return documents.render_pdf("act_of_satisfaction", {"claim": claim}, language=language or claim.language)


def act_filename(claim) -> str:
    return f"act-{claim.number}.pdf"


def complaint_filename(claim=None) -> str:
    return f"claim-{claim.number}.pdf" if claim is not None else "warranty-claim-form.pdf"
