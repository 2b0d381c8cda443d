"""Polling helper for tests that wait on another thread or process (a Celery worker, a pub/sub message)."""

import time


def wait_for(condition, timeout: float = 15.0, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
