"""Settings for the test suite: the real PostgreSQL and Redis when reachable, SQLite otherwise (not in CI).

The probe runs here because pytest-django reads settings before any conftest: if PostgreSQL does not answer,
the suite falls back to SQLite and the Postgres-only tests skip with one line; with CI=true it fails loudly.
"""

import os

os.environ.setdefault("DJANGO_ENV", "test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

import socket
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_AVAILABLE = _reachable(os.environ["DATABASE_URL"], 5432)
REDIS_AVAILABLE = _reachable(os.environ["REDIS_URL"], 6379)
if IN_CI and not (POSTGRES_AVAILABLE and REDIS_AVAILABLE):
    raise ImproperlyConfigured(
        f"CI=true but PostgreSQL ({os.environ['DATABASE_URL']}) or Redis ({os.environ['REDIS_URL']}) "
        "is unreachable: start them (see .ci/run); nothing may be skipped in CI"
    )
if not POSTGRES_AVAILABLE:
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"
if not REDIS_AVAILABLE:
    os.environ["REDIS_URL"] = ""

from .settings import *  # noqa: E402, F403
from .settings import BASE_DIR, CACHES, TEMPLATES  # noqa: E402

# Tasks run eagerly unless a test starts a real worker against Redis (tests/integration/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="shop-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="shop-test-static-"))
SHOP_REFUND_EXPORT_DIR = Path(tempfile.mkdtemp(prefix="shop-test-refund-exports-"))  # issue 13
SHOP_PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="shop-test-private-"))  # issue 12: claim attachments
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]
