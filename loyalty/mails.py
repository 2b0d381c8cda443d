"""Mails of the loyalty sweeps, queued once per batch: the sweep hands one message to the broker for a whole batch
and the worker fans it out into one `send_templated_email` per customer (each retried on its own)."""

from celery import shared_task
from django.db import transaction
from django.utils import translation

from base.tasks import send_templated_email


@shared_task
def send_batch(*, template: str, mails: list[dict], language: str) -> int:
    """`mails`: [{"to": e-mail, "context": {...}, "language": code}, ...], each sent as its own templated mail in
    its customer's language (`language`, the sweep's, for a mail that names none)."""
    for mail in mails:
        kwargs = {"template": template, "to": [mail["to"]], "context": mail["context"]}
        send_templated_email.apply_async(
            kwargs={**kwargs, "language": mail.get("language") or language},
            argsrepr="()",
            kwargsrepr=f"{{'template': {template!r}, 'language': {language!r}}}",
        )
    return len(mails)


def queue_batch(*, template: str, mails: list[dict]) -> None:
    """Queue `send_batch` once the surrounding transaction has committed (never for a batch that rolled back)."""
    if not mails:
        return
    language = translation.get_language() or "ru"
    transaction.on_commit(
        lambda: send_batch.apply_async(
            kwargs={"template": template, "mails": mails, "language": language},
            argsrepr="()",
            kwargsrepr=f"{{'template': {template!r}, 'mails': {len(mails)}}}",
        )
    )
