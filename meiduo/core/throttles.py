"""Default request rates of the API (DRF throttles), counted so that they cost the hot paths almost nothing.

- Writes and every request of a signed-in user (their cart, orders, addresses
  …: the sensitive reads) count in the shared security cache with its atomic
  `add`/`incr` (meiduo.core.ratelimit): every web process and host spends one
  budget, per user when signed in (`API_RATE_PER_USER`), else per client
  address (`API_RATE_PER_CLIENT`).
- Anonymous reads (the catalog, search, areas …) count in this process's
  memory (`API_READ_RATE_PER_CLIENT` per client address and process): no
  cache round trip on the answers the performance figures measure. Answers the
  memory tier (meiduo.core.fronttier) serves before Django runs are not counted
  at all: they cost less than counting them would.

Not throttled: clients in `THROTTLE_EXEMPT_IPS` (empty by default; `make
bench` lists its load generator's loopback address), views that set
`throttle_classes = ()` (the payment notify), and the health checks (plain
Django views). The stricter limits of particular endpoints (SMS, login,
captcha …) apply on top. A refused request gets 429 `{"message", "code":
"throttled"}` with `Retry-After`.
"""

import threading
import time
from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from meiduo.core import ratelimit
from meiduo.core.clientip import client_ip
from meiduo.core.errors import RateLimited

UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """`"600/min"` → (600, 60); None or "" → no limit."""
    if not rate:
        return None
    number, _slash, unit = rate.partition("/")
    return int(number), UNITS[unit.strip().lower()]


def _exempt(request: Request) -> bool:
    return client_ip(request) in settings.THROTTLE_EXEMPT_IPS


class SharedRateThrottle(BaseThrottle):
    """Writes and signed-in users' requests: one budget across every process, per user or client address."""

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if (request.method in SAFE_METHODS and not signed_in) or _exempt(request):
            return True
        key, rate = (
            (f"api:user:{user.pk}", settings.API_RATE_PER_USER)  # type: ignore[union-attr]
            if signed_in
            else (f"api:client:{client_ip(request)}", settings.API_RATE_PER_CLIENT)
        )
        limit = parse_rate(rate)
        if limit is None:
            return True
        try:
            ratelimit.hit(key, limit=limit[0], seconds=limit[1])
        except RateLimited as refused:
            self.retry_after = refused.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return self.retry_after


class _Windows:
    """Fixed-window counters of this process, per client address (old windows dropped as they pass)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.window = -1
        self.counts: dict[str, int] = {}

    def hit(self, client: str, limit: int, seconds: int) -> int | None:
        """Count one request; the seconds to wait when it is over the limit, else None."""
        now = time.time()
        window = int(now // seconds)
        with self.lock:
            if window != self.window:
                self.window, self.counts = window, {}
            count = self.counts[client] = self.counts.get(client, 0) + 1
        return max(1, int(seconds - now % seconds)) if count > limit else None


class ProcessReadThrottle(BaseThrottle):
    """Anonymous reads: a budget per client address in this process's memory (no shared cache round trip)."""

    windows = _Windows()

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method not in SAFE_METHODS or _exempt(request):
            return True
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True  # counted by SharedRateThrottle
        limit = parse_rate(settings.API_READ_RATE_PER_CLIENT)
        if limit is None:
            return True
        self.retry_after = self.windows.hit(client_ip(request), *limit)
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after
