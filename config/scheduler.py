"""Periodic jobs without a broker: `make run` on a machine with no Redis runs the beat schedule in-process.

It reads the same CELERY_BEAT_SCHEDULE that celery beat uses in production and applies each due task locally,
so the deadline sweeps behave the same in the zero-setup demo as in a real deployment."""

import logging
import threading
from datetime import datetime

from celery.schedules import maybe_schedule

logger = logging.getLogger(__name__)


class InProcessBeat(threading.Thread):
    def __init__(self, app, schedule: dict, *, started_at: datetime | None = None, max_sleep: float = 30.0):
        super().__init__(name="in-process-beat", daemon=True)
        self.app = app
        self.max_sleep = max_sleep
        app.loader.import_default_modules()  # register the tasks of config.tasks and every app
        self.stopped = threading.Event()
        start = started_at or app.now()
        self.entries = {
            name: {
                "task": entry["task"],
                "schedule": maybe_schedule(entry["schedule"], app=app),
                "last": start,
            }
            for name, entry in schedule.items()
        }

    def tick(self) -> float:
        """Run every due task once; return the seconds until the next one is due."""
        next_in = self.max_sleep
        for name, entry in self.entries.items():
            due, next_seconds = entry["schedule"].is_due(entry["last"])
            if due:
                entry["last"] = self.app.now()
                try:
                    self.app.tasks[entry["task"]].apply()
                    logger.debug("periodic job %s ran", name)  # every 5 s for the payment poll: not worth a line
                except Exception:
                    logger.exception("periodic job %s failed", name)
            next_in = min(next_in, max(next_seconds, 0.5))
        return next_in

    def run(self):
        while not self.stopped.is_set():
            self.stopped.wait(self.tick())

    def stop(self):
        self.stopped.set()
