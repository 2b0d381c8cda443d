"""`make run`: the development server plus the periodic jobs — in-process without Redis, a real Celery worker
with beat when REDIS_URL is set."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from config.celery import app
from config.scheduler import InProcessBeat


def served_base_url(addrport: str) -> str:
    """The address a browser reaches `runserver addrport` at: "8080" and "0.0.0.0:8080" → http://127.0.0.1:8080."""
    host, _sep, port = addrport.rpartition(":")
    if not port.isdigit():
        host, port = addrport, "8000"
    host = host.strip() or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (listening on every interface: mail a loopback link)
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def follow_served_address(addrport: str) -> str:
    """In development, links in mails follow the address actually served (SHOP_BASE_URL set in the environment
    wins); a Celery worker started from here inherits it through the environment."""
    if not settings.SHOP_BASE_URL_IS_SET:
        settings.SHOP_BASE_URL = served_base_url(addrport)
        os.environ["SHOP_BASE_URL"] = settings.SHOP_BASE_URL
    return settings.SHOP_BASE_URL


class Command(BaseCommand):
    help = "Serve the shop for development with its periodic jobs running."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        self.stdout.write(f"Links in mails: {follow_served_address(addrport)}")
        worker = None
        if settings.CELERY_TASK_ALWAYS_EAGER:
            beat = InProcessBeat(app, settings.CELERY_BEAT_SCHEDULE)
            beat.start()
            self.stdout.write("Jobs: no REDIS_URL, tasks run in-process and the beat schedule runs in a thread.")
        else:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "-l", "info", "--concurrency", "1"],
                env=os.environ.copy(),
            )
            self.stdout.write(f"Jobs: a Celery worker with beat runs against {settings.CELERY_BROKER_URL}.")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
