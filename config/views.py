"""Operational endpoints: /healthz for load balancers and /bench/hello, the baseline for bench/; media files when
the app serves them."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.static import serve

from .celery import app

logger = logging.getLogger(__name__)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("healthz: database unreachable: %s", exc)
        return "error"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", timeout=10)
        return "ok" if cache.get("healthz") == "1" else "error"
    except Exception as exc:  # any backend error means "unhealthy", never a 500
        logger.error("healthz: cache unreachable: %s", exc)
        return "error"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        logger.error("healthz: broker unreachable: %s", exc)
        return "error"
    return "ok"


@never_cache
def healthz(request):
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    checks["last_job"] = cache.get("jobs:heartbeat") if checks["cache"] == "ok" else None
    healthy = checks["database"] == "ok" and checks["cache"] == "ok" and checks["broker"] != "error"
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def hello(request):
    """The cheapest possible response through the full middleware stack: bench/ measures pages against it."""
    return HttpResponse("hello", content_type="text/plain")


def media(request, path):
    """A file under MEDIA_ROOT (SERVE_MEDIA). Product images — the uploads and the thumbnails and renditions named
    after their digest — never change under their name, so browsers and CDNs keep them for a year without asking
    again (issue 16, item 8); other uploads keep no caching rule of their own."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200 and path.startswith(settings.SHOP_IMMUTABLE_MEDIA_PREFIXES):
        response["Cache-Control"] = f"public, max-age={settings.SHOP_IMMUTABLE_MAX_AGE}, immutable"
    return response
