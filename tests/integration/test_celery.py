"""Celery against the real Redis: a worker started by the test consumes what the app queues."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone, translation

from base.mail import queue_email
from config.celery import app
from config.tasks import clear_expired_sessions
from tests.waiting import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_worker(settings):
    """A real worker thread consuming a queue of this test run's own on the Redis broker."""
    queue = f"test-{os.getpid()}"
    previous = {k: app.conf[k] for k in ("task_always_eager", "task_default_queue", "broker_url")}
    app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=settings.REDIS_URL)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)




def test_mail_is_rendered_in_the_recipients_language_and_sent_by_the_worker(redis_worker, mailoutbox):
    with translation.override("ru"):
        queue_email(
            template="testmail/greeting", to="aigul@example.kz", context={"name": "Айгүл"}, language="kk"
        )
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not send the mail"
    message = mail.outbox[0]
    assert message.to == ["aigul@example.kz"]
    assert message.subject == "Hello Айгүл [kk]"
    assert "written in kk" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_periodic_session_sweep_runs_on_the_worker(redis_worker):
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(1)
    )
    result = clear_expired_sessions.delay()
    assert result.id
    assert wait_for(lambda: not Session.objects.filter(session_key=stale.session_key).exists())
