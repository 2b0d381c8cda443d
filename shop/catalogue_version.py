"""The catalogue version: a number that every cached page key carries, bumped by any catalogue change.

Reading it must be exact across processes and cost (almost) nothing per request. With Redis, each process
keeps the number in memory and follows it through a pub/sub subscription: every bump publishes the new value,
the value is re-read from Redis whenever the subscription is (re)established and every RESYNC_SECONDS, and
while a process is not subscribed each read goes to Redis. Versions only grow, so a late message can never
move a process back. Without Redis (development, one process) the local cache holds the number."""

import logging
import os
import threading
import time

import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

VERSION_KEY = "catalogue:version"
RESYNC_SECONDS = 30.0


def _uses_redis() -> bool:
    return isinstance(caches["default"], RedisCache) and bool(getattr(settings, "REDIS_URL", ""))


def _channel() -> str:
    return cache.make_key("catalogue:version:channel")


def read_shared() -> int:
    """The version as stored in the shared cache, starting a new one (from the clock) when there is none, so
    that no page cached before a cache flush can be mistaken for current."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version)


class VersionFollower:
    """One per process: holds the latest version seen and a thread that keeps it current."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pid = None
        self.version: int | None = None
        self.subscribed = threading.Event()

    def observe(self, version: int) -> None:
        with self._lock:
            if self.version is None or version > self.version:
                self.version = version

    def current(self) -> int | None:
        """The followed version, or None while not subscribed (the caller then reads Redis)."""
        if self._pid != os.getpid():
            self._start()
        return self.version if self.subscribed.is_set() else None

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()  # a forked worker starts its own thread
            self.version = None
            self.subscribed = threading.Event()
            threading.Thread(target=self._follow, name="catalogue-version", daemon=True).start()

    def _follow(self) -> None:
        while True:
            try:
                client = redis.Redis.from_url(settings.REDIS_URL, health_check_interval=5)
                pubsub = client.pubsub()
                pubsub.subscribe(_channel())
                synced_at = 0.0
                while True:
                    message = pubsub.get_message(timeout=1.0)
                    if message and message["type"] == "subscribe":
                        self.observe(read_shared())  # read after subscribing: no bump can fall in between
                        synced_at = time.monotonic()
                        self.subscribed.set()
                    elif message and message["type"] == "message":
                        self.observe(int(message["data"]))
                    if self.subscribed.is_set() and time.monotonic() - synced_at > RESYNC_SECONDS:
                        self.observe(read_shared())
                        synced_at = time.monotonic()
            except Exception:
                self.subscribed.clear()  # until subscribed again, every read goes to Redis
                logger.warning("catalogue version: subscription lost, reading Redis until it is back", exc_info=True)
                time.sleep(1.0)


follower = VersionFollower()


def catalogue_version() -> int:
    if _uses_redis():
        version = follower.current()
        if version is not None:
            return version
    return read_shared()


def bump_catalogue_version() -> int:
    """Invalidate every cached page: a new version, seen at once here and published to the other processes."""
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:  # no version yet
        read_shared()
        version = cache.incr(VERSION_KEY)
    if _uses_redis():
        follower.observe(version)
        caches["default"]._cache.get_client(write=True).publish(_channel(), version)
    return version
