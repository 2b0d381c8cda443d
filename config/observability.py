"""What operations read (issue 16): a request id on every log line and in the Celery tasks a request queues, and
log lines as JSON (LOG_FORMAT=json) — one object per line, for a log shipper to index.

The id is the proxy's X-Request-ID when it sends a sane one, else a new one; it is echoed in the response's
X-Request-ID, so a customer's report, the proxy's access log, the app's lines and the worker's lines all meet."""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun

TASK_HEADER = "shop_request_id"
NO_REQUEST = "-"
_current = contextvars.ContextVar("request_id", default=NO_REQUEST)
_SANE = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every line logged while the request is served carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record `request_id` (the request's or the task's; "-" outside both)."""

    def filter(self, record):
        request_id = _current.get()
        if request_id == NO_REQUEST:  # Django logs a 4xx/5xx after the middleware, with the request attached
            request_id = getattr(getattr(record, "request", None), "request_id", NO_REQUEST)
        record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request_id, exception."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _current.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, log_format: str, level: str) -> dict:
    """settings.LOGGING: plain lines (development) or JSON lines (LOG_FORMAT=json), the request id on both."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "config.observability.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "plain",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # every task's "succeeded in 0.002s" (the payment poll runs every 5 s): warnings and errors still show
            "celery.app.trace": {"level": "WARNING"},
            # WeasyPrint logs every CSS step of every PDF at INFO, its own stylesheets at import time included
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


# --- the id travels with the tasks a request queues -------------------------------------------------------------


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    request_id = _current.get()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault(TASK_HEADER, request_id)


@task_prerun.connect
def _adopt_request_id(task=None, **kwargs):
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if request_id:  # run by a worker: the id came in the message; run eagerly, the context already has it
        task.request.shop_request_id_token = _current.set(request_id)


@task_postrun.connect
def _drop_request_id(task=None, **kwargs):
    token = getattr(task.request, "shop_request_id_token", None) if task is not None else None
    if token is not None:
        _current.reset(token)
        task.request.shop_request_id_token = None
