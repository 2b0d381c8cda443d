"""Issue 16, item 11: LOG_FORMAT=json gives one JSON object per log line, each with the request's id, and the id
goes with the Celery tasks the request queued (through the broker to a real worker)."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory

from config.celery import app
from config.observability import JsonFormatter, RequestIdFilter, RequestIdMiddleware, current_request_id
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]


@app.task(name="tests.remember_request_id")
def remember_request_id(key):
    cache.set(key, current_request_id(), timeout=60)


@pytest.fixture
def json_log():
    """The records of django.request as the JSON formatter writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_log_line_is_one_json_object_with_the_requests_id(json_log):
    response = Client().get("/no-such-page/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = json_log.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["message"] == "Not Found: /no-such-page/"
    assert entry["request_id"] == request_id and entry["time"].endswith("+00:00")


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_bad_one_replaced():
    assert Client().get("/", HTTP_X_REQUEST_ID="lb-4f2a9c01")["X-Request-ID"] == "lb-4f2a9c01"
    replaced = Client().get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32
    assert current_request_id() == "-"  # nothing leaks past the request


def test_log_format_json_configures_json_lines_on_the_console():
    code = "import logging; logging.getLogger('shop.test').warning('hello %s', 'Алматы')"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_FORMAT": "json", "DJANGO_ENV": "development"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    assert [json.loads(line)["message"] for line in lines] == ["hello Алматы"], result.stderr
    assert json.loads(lines[0])["request_id"] == "-"


@pytest.fixture
def redis_worker(settings):
    """A real worker thread on a queue of this test run's own on the Redis broker (as in test_celery.py)."""
    queue = f"test-obs-{os.getpid()}"
    previous = {k: app.conf[k] for k in ("task_always_eager", "task_default_queue", "broker_url")}
    app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=settings.REDIS_URL)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_request_id_reaches_the_task_the_request_queued(redis_worker):
    key = f"obs-{os.getpid()}"

    def view(request):
        remember_request_id.delay(key)
        return HttpResponse("queued")

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    assert wait_for(lambda: cache.get(key) is not None), "the worker did not run the task"
    assert cache.get(key) == response["X-Request-ID"]
