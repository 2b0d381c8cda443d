"""Suite-wide fixtures and the one-line notice when a service is missing (never in CI: settings fail there)."""

import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
HAVE_CHROMIUM = bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM))


def _missing() -> list[tuple[str, str]]:
    missing = []
    if not settings.POSTGRES_AVAILABLE:
        missing.append(("postgres", "no PostgreSQL reachable (SQLite used)"))
    if not settings.REDIS_AVAILABLE:
        missing.append(("redis", "no Redis reachable"))
    if not HAVE_CHROMIUM:
        missing.append(("browser", f"no Chromium at {CHROMIUM}"))
    return missing


def pytest_configure(config):
    if settings.IN_CI and not HAVE_CHROMIUM:
        raise pytest.UsageError(
            f"CI=true but Chromium is missing at {CHROMIUM}: nothing may be skipped in CI"
        )


def pytest_sessionstart(session):
    missing = _missing()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if missing and reporter is not None:
        kinds = ", ".join(k for k, _ in missing)
        reasons = "; ".join(r for _, r in missing)
        reporter.write_line(f"SKIPPING the {kinds} tests: {reasons}.", yellow=True, bold=True)


def pytest_collection_modifyitems(config, items):
    for kind, reason in _missing():
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if kind in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with a new catalogue version: no cached fragment leaks from one test to the next."""
    from shop.page_cache import bump_catalogue_version

    bump_catalogue_version()
    yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters (allauth's login/sign-up limits, the contact form's) live in the shared cache and
    would carry over from one test to the next: every test starts and ends with none counted."""
    from django.core.cache import cache

    from accounts.support_services import contact_rate_limit

    patterns = [cache.make_key("allauth:rl:*"), cache.make_key(f"{contact_rate_limit.prefix}:*")]

    def clear():
        client = getattr(cache, "_cache", None)
        if hasattr(client, "get_client"):  # Redis: only this test process's keys
            redis = client.get_client(write=True)
            for pattern in patterns:
                for key in redis.scan_iter(match=pattern):
                    redis.delete(key)
        else:  # the in-process cache of the SQLite fallback belongs to this process alone
            cache.clear()

    clear()
    yield
    clear()
