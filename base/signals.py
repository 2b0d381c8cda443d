"""Sending an app's signal once the transaction commits: receivers never hear of a change that rolled back, and one
that fails is logged without stopping the others or the request."""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_after_commit(signal: Signal, *, sender, about: str, lazy=None, **kwargs) -> None:
    """Queue ``signal.send_robust(sender, **kwargs)`` for when the current transaction commits (at once outside
    one). `lazy` maps further keyword arguments to functions computing them, called only if someone listens;
    `about` names the object in the log when a receiver fails."""

    def send():
        if not signal.has_listeners(sender=sender):
            return
        values = {**kwargs, **{name: compute() for name, compute in (lazy or {}).items()}}
        for receiver, result in signal.send_robust(sender=sender, **values):
            if isinstance(result, Exception):
                logger.error(
                    "receiver %s failed for %s", getattr(receiver, "__qualname__", receiver), about, exc_info=result
                )

    transaction.on_commit(send)
