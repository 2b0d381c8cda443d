"""Queueing e-mail: every mail leaves through the Celery task, and only after the transaction commits."""

from django.db import transaction
from django.utils import translation

from .tasks import send_templated_email


def queue_email(*, template: str, to: list[str] | str, context: dict, language: str | None = None) -> None:
    """Send a templated mail from a worker once the surrounding transaction has committed.

    `context` must be JSON-serialisable (it travels through the broker)."""
    recipients = [to] if isinstance(to, str) else list(to)
    lang = language or translation.get_language() or "ru"
    # The message's kwargsrepr (what Celery logs and shows in monitors) names the template only: the context holds
    # customers' personal data, and rendering its repr on every send is wasted work.
    transaction.on_commit(
        lambda: send_templated_email.apply_async(
            kwargs={"template": template, "to": recipients, "context": context, "language": lang},
            argsrepr="()",
            kwargsrepr=f"{{'template': {template!r}, 'language': {lang!r}}}",
        )
    )
