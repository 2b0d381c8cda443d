"""The composition root as a Django app, so its management commands (seed_demo, runshop) are found: they wire
every app together and so may import any of them, which no app below may do."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    label = "config"
    verbose_name = "Composition root"
