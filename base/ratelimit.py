"""Rate limits per client IP (fixed windows in the shared cache) and the one `client_ip` every limit counts by."""

import re
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str, setting: str = "the rate") -> Rate:
    """A rate as written in settings, "5/h" → Rate(5, 3600). Units s, m, h, d (or "10/minute", "3/15m").
    `setting` names the setting in the error, so a bad value says where to fix it."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*", text or "")
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f'{setting} must look like "5/h", not {text!r}')
    multiplier = int(match[2]) if match[2] else 1
    return Rate(count=int(match[1]), seconds=max(1, multiplier) * _PERIODS[match[3]])


class RateLimit:
    """A fixed-window counter per client IP in the shared cache (Redis: add and incr are atomic).

    `prefix` keeps one limit's counters apart from another's; `setting` names the setting holding the rate
    ("5/h"), read on every hit so a changed setting applies at once."""

    def __init__(self, prefix: str, setting: str):
        self.prefix = prefix
        self.setting = setting

    def rate(self) -> Rate:
        return parse_rate(getattr(settings, self.setting), self.setting)

    def key(self, ip: str | None, now: float | None = None) -> str:
        window = int((time.time() if now is None else now) // self.rate().seconds)
        return f"{self.prefix}:{ip or 'unknown'}:{window}"

    def hit(self, ip: str | None) -> bool:
        """Count one request; False when it is over the limit (and must be refused)."""
        rate = self.rate()
        key = self.key(ip)
        cache.add(key, 0, timeout=rate.seconds + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr: this is the first hit of a new window
            cache.add(key, 1, timeout=rate.seconds + 60)
            count = 1
        return count <= rate.count

    def seconds_left(self, now: float | None = None) -> int:
        """Seconds until the current window ends and the counters start again (for Retry-After)."""
        period = self.rate().seconds
        return period - int((time.time() if now is None else now) % period)

    def clear(self, ip: str | None) -> None:
        cache.delete(self.key(ip))


def client_ip(request) -> str | None:
    """The visitor's IP as allauth's login throttling sees it: REMOTE_ADDR, or behind a proxy the address allauth
    trusts (ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER) — so every per-IP limit and every
    stored IP in the shop agree. None when allauth cannot tell (a spoofed or misconfigured header)."""
    try:
        return get_adapter(request).get_client_ip(request)  # a valid address, or PermissionDenied
    except (PermissionDenied, ImproperlyConfigured):
        return None
