"""The in-process page tier: bounded, least-recently-used first out, and never older than its timeout."""

import time

from shop.page_cache import LocalPages


def test_local_pages_keep_at_most_max_entries_dropping_the_least_recent():
    pages = LocalPages(max_entries=2)
    pages.set("a", "A", timeout=60)
    pages.set("b", "B", timeout=60)
    assert pages.get("a") == "A"  # "a" is now the most recent
    pages.set("c", "C", timeout=60)
    assert pages.get("b") is None
    assert pages.get("a") == "A" and pages.get("c") == "C"


def test_local_pages_expire(monkeypatch):
    pages = LocalPages(max_entries=10)
    pages.set("a", "A", timeout=5)
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 6)
    assert pages.get("a") is None
