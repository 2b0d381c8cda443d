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
from config.management.commands.runshop import follow_served_address
from config.scheduler import InProcessBeat
from config.tasks import clear_expired_sessions
from tests import factories as f

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
    "SHOP_BASE_URL": "https://shop.example.kz",
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


def test_production_refuses_to_start_without_the_public_address():
    """Mails carry absolute links, built by workers that have no request: production must be told the address."""
    env = dict(PRODUCTION, SHOP_BASE_URL="")
    result = _manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SHOP_BASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("addrport", "expected"),
    [
        ("127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("8080", "http://127.0.0.1:8080"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("localhost", "http://localhost:8000"),
    ],
)
def test_make_run_mails_link_to_the_address_it_serves(addrport, expected, settings, monkeypatch):
    """`PORT=8765 make run`: without SHOP_BASE_URL in the environment, links in mails follow the served address
    (and reach the worker through its environment); an explicit SHOP_BASE_URL wins."""
    monkeypatch.setenv("SHOP_BASE_URL", "")  # restored after the test
    settings.SHOP_BASE_URL_IS_SET = False
    assert follow_served_address(addrport) == expected == settings.SHOP_BASE_URL == os.environ["SHOP_BASE_URL"]
    settings.SHOP_BASE_URL, settings.SHOP_BASE_URL_IS_SET = "https://shop.example.kz", True
    assert follow_served_address(addrport) == "https://shop.example.kz"


@pytest.mark.django_db
def test_an_order_mail_links_to_the_served_address(
    settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """ORD-7 mails from `make run` on another port link to that port, not to 127.0.0.1:8000."""
    monkeypatch.setenv("SHOP_BASE_URL", "")  # restored after the test
    settings.SHOP_BASE_URL_IS_SET = False
    follow_served_address("127.0.0.1:8765")
    with django_capture_on_commit_callbacks(execute=True):
        order = f.placed_order(f.delivery_setup())
    (mail,) = [m for m in mailoutbox if order.number in m.subject]
    assert "http://127.0.0.1:8765/" in mail.body and "127.0.0.1:8000" not in mail.body
