"""One function per event of a warranty claim, appending to its log (SUP-2: every staff action audited)."""

from .models import WarrantyClaimEvent

Kind = WarrantyClaimEvent.Kind


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _add(kind, *, claim, actor=None, message=""):
    return WarrantyClaimEvent.objects.create(claim=claim, kind=kind, actor=_actor(actor), message=message[:500])


def received(*, claim, actor=None, message=""):
    return _add(Kind.RECEIVED, claim=claim, actor=actor, message=message)


def examination(*, claim, actor=None, message=""):
    return _add(Kind.EXAMINATION, claim=claim, actor=actor, message=message)


def resolved(*, claim, actor=None, message=""):
    return _add(Kind.RESOLVED, claim=claim, actor=actor, message=message)


def rejected(*, claim, actor=None, message=""):
    return _add(Kind.REJECTED, claim=claim, actor=actor, message=message)


def overdue(*, claim, message=""):
    return _add(Kind.OVERDUE, claim=claim, message=message)


def document_downloaded(*, claim, actor=None, message=""):
    return _add(Kind.DOCUMENT, claim=claim, actor=actor, message=message)


def note(*, claim, actor=None, message=""):
    return _add(Kind.NOTE, claim=claim, actor=actor, message=message)
