"""Operational guarantees: /healthz, periodic jobs, production settings, migrations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from config.celery import app
from config.scheduler import InProcessBeat
from config.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_cache_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["broker"] in {"ok", "in-process"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_unreachable(client):
    """A real unreachable database server (a closed port), not a mock."""
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_expired_sessions_are_cleared_by_the_periodic_task():
    live = SessionStore()
    live["cart"] = {"1": 1}
    live.create()
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(1)
    )
    assert clear_expired_sessions.apply().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert clear_expired_sessions.apply().get() == 0  # idempotent


@pytest.mark.django_db
def test_in_process_beat_runs_due_jobs_from_the_beat_schedule(settings):
    """`make run` without Redis still runs the periodic jobs on their schedule."""
    cache.delete("jobs:heartbeat")
    long_ago = app.now() - timezone.timedelta(days=2)
    beat = InProcessBeat(app, settings.CELERY_BEAT_SCHEDULE, started_at=long_ago)
    wait = beat.tick()
    assert cache.get("jobs:heartbeat") is not None
    assert 0 < wait <= 60
    cache.delete("jobs:heartbeat")
    beat.tick()  # nothing is due again straight away
    assert cache.get("jobs:heartbeat") is None


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 20 + "9Zq!x@Lr#4Vb$7Nm%2Pw^8Ts&6Yh*3Gd(1Fc)5Ja",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/shop",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "shop.example.kz",
}


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION, SECRET_KEY="")
    result = _manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
