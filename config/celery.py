"""The Celery app: Redis broker, configuration from Django settings (CELERY_*), tasks from every app."""

import os

from celery import Celery

from . import observability  # noqa: F401 (connects the signals that carry the request id into tasks)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.include = ["config.tasks"]
app.autodiscover_tasks()
