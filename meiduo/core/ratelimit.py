"""Rate limits that hold under concurrency: built only on the cache's atomic `add` and `incr`.

Redis (production) and diskcache (embedded) both implement `add` and `incr`
atomically across processes, so N concurrent requests can never all pass a
limit of one. DRF throttles read-modify-write and are not used for limits.
The counters live in the security cache (meiduo.core.securitycache), where no
cached answer can evict them.
"""

import time

from django.utils import timezone
from django.utils.functional import Promise

from meiduo.core.errors import RateLimited
from meiduo.core.securitycache import security_cache


def _window(seconds: int) -> tuple[int, int]:
    """Index of the current fixed window (aligned to local midnight) and seconds until it ends."""
    now = time.time()
    offset = timezone.localtime().utcoffset()
    local = now + (offset.total_seconds() if offset else 0)
    return int(local // seconds), max(1, int(seconds - local % seconds))


def claim(key: str, seconds: int, message: str | Promise | None = None) -> None:
    """Let exactly one caller through per `seconds` for this key; everyone else gets RateLimited."""
    until = time.time() + seconds
    if security_cache.add(f"rl:claim:{key}", until, timeout=seconds):
        return
    held = security_cache.get(f"rl:claim:{key}")
    retry_after = int(held - time.time()) + 1 if isinstance(held, (int, float)) else seconds
    raise RateLimited(retry_after=retry_after, message=message)


def release(key: str) -> None:
    """Give back a claim (used when the action it guarded did not happen)."""
    security_cache.delete(f"rl:claim:{key}")


def hit(key: str, *, limit: int | None, seconds: int, message: str | Promise | None = None) -> int:
    """Count one event in the current window; RateLimited once more than `limit` (None: no limit) happened in it."""
    index, remaining = _window(seconds)
    slot = f"rl:count:{key}:{seconds}:{index}"
    security_cache.add(slot, 0, timeout=remaining + 1)
    try:
        count = int(security_cache.incr(slot))
    except ValueError:  # the slot expired between add and incr: this is the new window's first event
        security_cache.add(slot, 1, timeout=remaining + 1)
        count = 1
    if limit is not None and count > limit:
        raise RateLimited(retry_after=remaining, message=message)
    return count


def count(key: str, *, seconds: int) -> int:
    """How many events the current window of this key holds, without counting one."""
    index, _remaining = _window(seconds)
    return int(security_cache.get(f"rl:count:{key}:{seconds}:{index}", 0))


def window_remaining(seconds: int) -> int:
    """Seconds until the current window of this length ends."""
    return _window(seconds)[1]


def reset(key: str, *, seconds: int) -> None:
    """Forget the events of the current window of this key."""
    index, _remaining = _window(seconds)
    security_cache.delete(f"rl:count:{key}:{seconds}:{index}")


def undo(key: str, *, seconds: int) -> None:
    """Take back one event counted by `hit` in the current window (e.g. an attempt that succeeded)."""
    index, _remaining = _window(seconds)
    try:
        security_cache.decr(f"rl:count:{key}:{seconds}:{index}")
    except ValueError:  # the window ended meanwhile: nothing to take back
        return


ACCOUNT_LOOKUPS_PER_MINUTE = 60


def account_lookup(ip: str) -> None:
    """Count one answer that tells whether an account exists: a person's pace per client, not a scraper's."""
    hit(f"lookup:ip:{ip}", limit=ACCOUNT_LOOKUPS_PER_MINUTE, seconds=60)
