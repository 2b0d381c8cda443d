"""The shared base as a Django app, so Celery finds its tasks and templates can load its filters."""

from django.apps import AppConfig


class BaseConfig(AppConfig):
    name = "base"
    label = "base"
    verbose_name = "Shared base"
