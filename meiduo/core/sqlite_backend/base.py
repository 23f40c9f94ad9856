"""Django's SQLite backend, with write transactions taken in turn through a lock file beside the database.

SQLite lets one writer in at a time and makes the others wait in its busy
handler, which sleeps in growing steps (up to 100 ms) and blocks the whole
process meanwhile: under gevent every other request of that web worker stops
too, and a worker that keeps losing the race waits for seconds (`make bench`
saw order p99 of 5.8 s with two workers). Here a transaction (`atomic()`,
`BEGIN IMMEDIATE`) first queues on a process-wide lock (first come, first
served), then takes an exclusive `flock` on
`<database>-writelock`, so only one request per process competes with the
other processes, until the connection's `timeout`; both are released at
commit, rollback or close. A held file lock is waited for in an OS thread
(under gevent, the hub's thread pool, while the worker's other requests go on)
blocked in `flock` until the kernel wakes it as the holder lets go (a threaded
worker's own thread tries it again every 0.1 ms instead): a greenlet's own
sleep lasts at least the event loop's 1-ms timer step (1.2 ms measured), so a
worker waiting that way noticed a released lock late, idle meanwhile, in every
hand-over between the two web workers.
A single write outside a transaction (autocommit) queues the same way. The
database is switched to WAL once per process, not on every new connection.

Connections are kept open between requests: a request that ends puts its
connection in a per-process pool (at most POOL_SIZE) and the next request takes
it, instead of opening the file and setting its pragmas again (Django keeps
SQLite connections per thread, and under gevent every client connection is a
new greenlet, so CONN_MAX_AGE alone reuses nothing). A wait
past the timeout is SQLite's own "database is locked" error, answered 503.
"""

import fcntl
import os
import sqlite3
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

POLL_SECONDS = 0.0001
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


class _FairLock:
    """A lock that hands itself to the longest waiter (first come, first served), never to a latecomer.

    gevent's and Python's own locks let a request that arrives while a waiter is
    being woken take the lock first, so under load a waiter can lose for seconds.
    Built from threading primitives, which gevent patches in gevent workers.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ended
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # the lock stays held: it now belongs to that waiter
            else:
                self._held = False


def _file_lock_free(fd: int, deadline: float, sleep: Callable[[float], None]) -> bool:
    """Wait until the `flock` on fd is free, tried every POLL_SECONDS (False once the deadline has passed).

    It is taken and let go at once: the caller takes it when it runs, so that a greenlet waiting its turn to
    run never holds the lock meanwhile (the other process would wait for it idle).
    """
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            sleep(POLL_SECONDS)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True


def _file_lock_waited(path: str) -> None:
    """Block until nobody holds the `flock` on the file at `path`: taken through a description of its own (which
    conflicts with every other) and let go at once, like `_file_lock_free`, but woken by the kernel the moment
    the holder lets go instead of trying again every POLL_SECONDS."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _file_lock_take(fd: int, path: str, deadline: float) -> bool:
    """Take the exclusive `flock` on fd (open on `path`) before the deadline.

    Under gevent the wait is a blocking `flock` in an OS thread of the hub's pool (`_file_lock_waited`), the
    worker's other greenlets going on meanwhile; given up at the deadline, that thread still lets the lock go at
    once when it gets it. The pool's thread had tried the lock every 0.1 ms instead: while the other web worker
    committed, that loop took 3% of a worker's CPU under `make bench`'s orders. Elsewhere (a threaded worker)
    this thread tries it every POLL_SECONDS (`_file_lock_free`).
    """
    monkey = sys.modules.get("gevent.monkey")
    gevent_hub = monkey is not None and monkey.is_module_patched("time")
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        if not gevent_hub:
            if not _file_lock_free(fd, deadline, time.sleep):
                return False
            continue
        import gevent

        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            gevent.get_hub().threadpool.spawn(_file_lock_waited, path).get(timeout=left)
        except gevent.Timeout:
            return False


_queues: dict[str, _FairLock] = {}  # one queue per database file
_queues_lock = threading.Lock()


def _queue(path: str) -> _FairLock:
    """The write queue of a database file: read without the lock once made (each write transaction asks)."""
    queue = _queues.get(path)
    if queue is None:
        with _queues_lock:
            queue = _queues.setdefault(path, _FairLock())
    return queue


_wal_set: set[str] = set()  # databases this process has switched to WAL (a setting kept in the file)
POOL_SIZE = 32
# Open connections put back by requests that ended, per database file (path, device, inode): a database
# deleted and created again at the same path (tests) never gets an old connection.
_pool: dict[tuple[str, int, int], list[Any]] = {}


def _file_key(name: str) -> tuple[str, int, int] | None:
    try:
        stat = os.stat(name)
    except OSError:
        return None
    return (name, stat.st_dev, stat.st_ino)


@lru_cache(maxsize=512)
def _qmark(query: str) -> str:
    """Django's conversion of a statement's `%s` placeholders to SQLite's `?`, remembered per statement text (a
    regular expression over the whole text cost 10-25 µs a statement, a tenth of a cart add's own time)."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class _QueuedCursor(base.SQLiteCursorWrapper):
    """A cursor whose single writes outside a transaction take the write lock for their statement, and whose
    placeholder conversion is remembered per statement."""

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return str(super().convert_query(query, param_names=param_names))  # type: ignore[misc]

    database: "DatabaseWrapper"

    def execute(self, query: str, params: Any = None) -> Any:
        if self.database.in_atomic_block or self.database._locked or query.lstrip()[:6].upper() not in _WRITES:
            return super().execute(query, params)
        self.database._write_lock_take()
        try:
            return super().execute(query, params)
        finally:
            self.database._write_lock_release()


class DatabaseWrapper(base.DatabaseWrapper):
    """SQLite whose write transactions queue on a lock file instead of SQLite's sleeping busy handler."""

    _lock_fd: int | None = None
    _locked = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        return None if self.is_in_memory_db() else f"{name}-writelock"

    def _write_lock_take(self) -> None:
        path = self._lock_path()
        if path is None or self._locked:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        queue = _queue(path)
        if not queue.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        if not _file_lock_take(self._lock_fd, path, deadline):
            queue.release()
            raise OperationalError("database is locked")
        self._locked = True

    def _write_lock_release(self) -> None:
        if self._locked:
            if self._lock_fd is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            _queue(str(self._lock_path())).release()
        self._locked = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        name = str(self.settings_dict["NAME"])
        key = None if self.is_in_memory_db() else _file_key(name)
        if key is not None:
            for stale in [other for other in _pool if other[0] == name and other != key]:
                for connection in _pool.pop(stale):
                    connection.close()
            pooled = _pool.get(key)
            if pooled:
                try:
                    return pooled.pop()
                except IndexError:  # taken by another thread meanwhile
                    pass
        connection = super().get_new_connection(conn_params)
        # `PRAGMA journal_mode=WAL` waits for the database lock each time it runs; once per process is enough.
        # Also when this connection creates the file (no key yet): pooled, it may serve the whole process.
        if name not in _wal_set and not self.is_in_memory_db():
            connection.execute("PRAGMA journal_mode=WAL")
            _wal_set.add(name)
        return connection

    def _pooled(self, connection: Any) -> bool:
        """Put an open connection back in the pool (True), or leave it to be closed (False)."""
        key = None if connection is None or self.is_in_memory_db() else _file_key(str(self.settings_dict["NAME"]))
        if key is None:
            return False
        try:
            if connection.in_transaction:
                connection.rollback()
        except sqlite3.Error:
            return False
        pool = _pool.setdefault(key, [])
        if len(pool) >= POOL_SIZE:
            return False
        pool.append(connection)
        return True

    def create_cursor(self, name: str | None = None) -> _QueuedCursor:
        cursor = self.connection.cursor(factory=_QueuedCursor)
        cursor.database = self
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        self._write_lock_take()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in django-stubs
        except BaseException:
            self._write_lock_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._write_lock_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._write_lock_release()

    def _close(self) -> Any:
        try:
            if not self._pooled(self.connection):
                return super()._close()  # type: ignore[misc]  # private in django-stubs
            return None
        finally:
            self._write_lock_release()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
