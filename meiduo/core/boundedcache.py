"""The embedded cache backend (diskcache) with every wait bounded: a locked cache file means a quick 503, not a hang.

diskcache's Django backend retries a write for as long as another process holds
the SQLite lock (`retry=True`), so while the cache file is locked every request
that writes to it waits for the whole outage and a few of them block every
worker. Here each operation retries only until `MAX_WAIT` seconds (setting
`CACHE_MAX_WAIT`, 1 s by default) have passed, then raises `diskcache.Timeout`,
which `meiduo.core.unavailable` turns into a 503.
"""

import contextlib
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from diskcache import DEFAULT_SETTINGS, ENOVAL, Cache, DjangoCache, FanoutCache, Timeout
from django.core.cache.backends.base import BaseCache

RETRY_PAUSE = 0.005


class _Connection:
    """A shard's SQLite connection, closed as soon as the thread (greenlet) that holds it ends."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __del__(self) -> None:
        # Released in another thread than the one that made it (a thread's locals may be freed elsewhere): left
        # to the garbage collector, as before.
        with contextlib.suppress(sqlite3.ProgrammingError):
            self.connection.close()


class _ClosingLocal(threading.local):
    """diskcache's per-thread state (`con`, `pid`), whose connection is closed when its thread or greenlet ends.

    Python 3.11's sqlite3 connection is in a reference cycle with its own statement cache, so a connection
    dropped with its thread stayed open, with its page cache and statements, until a full garbage collection:
    under gevent, where each client connection is a greenlet, a web worker held ~100 such connections
    (15 MB) after `make bench`'s orders run (docs/performance.md). Closing it when the thread ends frees them at once.
    """

    @property
    def con(self) -> sqlite3.Connection:
        held = self.__dict__.get("_held")
        if held is None:
            raise AttributeError("con")
        return held.connection

    @con.setter
    def con(self, connection: sqlite3.Connection | None) -> None:
        self.__dict__["_held"] = None if connection is None else _Connection(connection)

    @con.deleter
    def con(self) -> None:
        self.__dict__.pop("_held", None)


class BoundedCache(Cache):
    """A diskcache shard whose new connections give up setting their pragmas after `max_wait` seconds (not 60)
    and are closed when their thread or greenlet ends."""

    def __init__(self, directory: str, timeout: float, max_wait: float, **settings: Any) -> None:
        self.max_wait = max_wait
        super().__init__(directory, timeout, **settings)
        self.close()  # the set-up's connection (this thread's next operation opens one in the local below)
        self._local = _ClosingLocal()

    @property
    def _sql_retry(self) -> Any:
        """Statements outside transactions (schema set-up, settings): retried until `max_wait`, not for 60 s."""
        sql = self._sql

        def execute_with_retry(statement: str, *args: Any, **kwargs: Any) -> Any:
            deadline = time.monotonic() + self.max_wait
            while True:
                try:
                    return sql(statement, *args, **kwargs)
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() >= deadline:
                        raise Timeout(f"cache statement: locked for more than {self.max_wait} s") from exc
                    time.sleep(RETRY_PAUSE)

        return execute_with_retry

    def reset(self, key: str, value: Any = ENOVAL, update: bool = True) -> Any:
        if update or value is ENOVAL or not key.startswith("sqlite_"):
            return super().reset(key, value, update)
        # A connection just opened by this thread sets its per-connection pragmas (diskcache retries for 60 s).
        pragma = key[len("sqlite_") :]
        deadline = time.monotonic() + self.max_wait
        while True:
            try:
                rows = self._local.con.execute(f"PRAGMA {pragma}").fetchall()
                if rows != [(value,)]:
                    self._local.con.execute(f"PRAGMA {pragma} = {value}").fetchall()
                return value
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    self._local.con.close()
                    self._local.con = None  # the next operation opens and configures a connection again
                    raise Timeout(f"cache connection: locked for more than {self.max_wait} s") from exc
                time.sleep(RETRY_PAUSE)


class BoundedFanoutCache(FanoutCache):
    """A FanoutCache whose per-key operations retry a locked shard until a deadline, then raise Timeout."""

    def __init__(self, directory: str, shards: int, timeout: float, max_wait: float, **settings: Any) -> None:
        super().__init__(directory, shards, timeout, **settings)
        self.max_wait = max_wait
        size_limit = settings.pop("size_limit", DEFAULT_SETTINGS["size_limit"]) // shards
        opened: tuple[Cache, ...] = self._shards
        for shard in opened:
            shard.close()
        self._shards: tuple[Cache, ...] = tuple(
            BoundedCache(
                str(Path(self._directory) / f"{number:03d}"), timeout, max_wait, size_limit=size_limit, **settings
            )
            for number in range(shards)
        )

    def _bounded(self, key: Any, operation: str, *args: Any) -> Any:
        shard = self._shards[self._hash(key) % self._count]
        deadline = time.monotonic() + self.max_wait
        while True:
            try:
                return getattr(shard, operation)(key, *args, retry=False)
            except (Timeout, sqlite3.OperationalError) as exc:
                if time.monotonic() >= deadline:
                    raise Timeout(f"cache {operation}: locked for more than {self.max_wait} s") from exc
                time.sleep(RETRY_PAUSE)

    def set(  # noqa: PLR0917 - FanoutCache's positional signature
        self, key: Any, value: Any, expire: Any = None, read: bool = False, tag: Any = None, retry: bool = False
    ) -> Any:
        return self._bounded(key, "set", value, expire, read, tag)

    def add(  # noqa: PLR0917 - FanoutCache's positional signature
        self, key: Any, value: Any, expire: Any = None, read: bool = False, tag: Any = None, retry: bool = False
    ) -> Any:
        return self._bounded(key, "add", value, expire, read, tag)

    def touch(self, key: Any, expire: Any = None, retry: bool = False) -> Any:
        return self._bounded(key, "touch", expire)

    def incr(self, key: Any, delta: int = 1, default: Any = 0, retry: bool = False) -> Any:
        return self._bounded(key, "incr", delta, default)

    def decr(self, key: Any, delta: int = 1, default: Any = 0, retry: bool = False) -> Any:
        return self._bounded(key, "decr", delta, default)

    def get(  # noqa: PLR0917 - FanoutCache's positional signature
        self,
        key: Any,
        default: Any = None,
        read: bool = False,
        expire_time: bool = False,
        tag: bool = False,
        retry: bool = False,
    ) -> Any:
        return self._bounded(key, "get", default, read, expire_time, tag)

    def pop(
        self, key: Any, default: Any = None, expire_time: bool = False, tag: bool = False, retry: bool = False
    ) -> Any:
        return self._bounded(key, "pop", default, expire_time, tag)

    def delete(self, key: Any, retry: bool = False) -> Any:
        return self._bounded(key, "delete")


_FANOUTS: dict[tuple[Any, ...], BoundedFanoutCache] = {}
_FANOUTS_LOCK = threading.Lock()


def _fanout(
    directory: str, shards: int, timeout: float, max_wait: float, options: dict[str, Any]
) -> BoundedFanoutCache:
    """One FanoutCache per folder and process, shared by the threads (its SQLite connections are per thread).

    Django builds a cache backend per thread; opening the shards (schema checks)
    again in every new thread would cost each thread's first request.
    """
    key = (directory, shards, timeout, max_wait, tuple(sorted(options.items())))
    with _FANOUTS_LOCK:
        fanout = _FANOUTS.get(key)
        if fanout is None:
            fanout = _FANOUTS[key] = BoundedFanoutCache(directory, shards, timeout, max_wait, **options)
        return fanout


class BoundedDiskCache(DjangoCache):
    """diskcache.DjangoCache on a BoundedFanoutCache; `MAX_WAIT` (seconds) in the CACHES entry bounds every wait."""

    def __init__(self, directory: str, params: dict[str, Any]) -> None:
        BaseCache.__init__(self, params)  # DjangoCache.__init__ would open a second, unbounded FanoutCache
        self._cache = _fanout(
            directory,
            params.get("SHARDS", 8),
            params.get("DATABASE_TIMEOUT", 0.010),
            float(params.get("MAX_WAIT", 1.0)),
            dict(params.get("OPTIONS", {})),
        )

    def close(self, **kwargs: Any) -> None:
        """Keep this thread's shard connections open after a request (Django closes caches after each one).

        diskcache keeps one SQLite connection per shard and thread (greenlet
        under gevent); reopening them cost every request a connect and a
        settings read. They close when their thread or greenlet ends.
        """
