"""The embedded SQLite engine: pooled connections, write transactions served in arrival order, bounded waits."""

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction

from meiduo.core.sqlite_backend import base

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the embedded engine's own behaviour (PostgreSQL pools by itself)"
)


def _raw_connection() -> Any:
    connection.ensure_connection()
    return connection.connection


@pytest.mark.django_db(transaction=True)
def test_a_request_that_ends_leaves_its_connection_to_the_next_one() -> None:
    first = _raw_connection()
    connection.close()  # what Django does when a request ends
    assert connection.connection is None
    assert _raw_connection() is first  # no new file handle, no pragmas again
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_connection_left_in_a_transaction_comes_back_rolled_back() -> None:
    from meiduo.areas.models import Area

    connection.ensure_connection()
    connection.connection.execute("BEGIN")
    connection.connection.execute("INSERT INTO tb_areas (id, name, parent_id) VALUES (990001, '测试', NULL)")
    connection.close()
    assert not _raw_connection().in_transaction
    assert not Area.objects.filter(pk=990001).exists()
    connection.close()


@pytest.mark.django_db  # lets a connection open (to its own file)
def test_a_database_made_again_at_the_same_path_never_gets_an_old_connection(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    alias = {**connections.settings["default"], "NAME": str(path), "ENGINE": "meiduo.core.sqlite_backend"}

    def read(value: str) -> str:
        wrapper = base.DatabaseWrapper(alias, alias="pooltest")
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("CREATE TABLE IF NOT EXISTS t (v TEXT)")
                cursor.execute("INSERT INTO t VALUES (%s)", [value])
                cursor.execute("SELECT v FROM t")
                return ",".join(row[0] for row in cursor.fetchall())
        finally:
            wrapper.close()

    assert read("a") == "a"
    assert read("b") == "a,b"  # the pooled connection, same file
    path.unlink()
    Path(f"{path}-wal").unlink(missing_ok=True)
    Path(f"{path}-shm").unlink(missing_ok=True)
    assert read("c") == "c"  # a new file: a new connection, not one to the deleted file


@pytest.mark.django_db  # lets a connection open (to its own file)
def test_a_database_file_the_first_connection_creates_is_in_wal_mode(tmp_path: Path) -> None:
    # A shop's first process (migrate on a fresh machine) creates the file with its first connection; that
    # connection, pooled, serves the whole process: it must not stay in rollback-journal mode (a journal file
    # created, synced and deleted at every commit, which cost 0.3 ms of CPU per commit).
    path = tmp_path / "fresh.sqlite3"
    alias = {**connections.settings["default"], "NAME": str(path), "ENGINE": "meiduo.core.sqlite_backend"}
    wrapper = base.DatabaseWrapper(alias, alias="waltest")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


def test_waiters_get_the_write_lock_in_the_order_they_came() -> None:
    lock = base._FairLock()
    assert lock.acquire(timeout=1)
    order: list[str] = []
    started: list[threading.Thread] = []

    def wait_then_record(name: str) -> None:
        assert lock.acquire(timeout=5)
        order.append(name)
        time.sleep(0.01)
        lock.release()

    for name in ("first", "second", "third"):
        thread = threading.Thread(target=wait_then_record, args=(name,))
        thread.start()
        started.append(thread)
        time.sleep(0.05)  # each one is queued before the next arrives
    lock.release()
    # A latecomer arriving while the lock is handed from one waiter to the next waits its turn too.
    late = threading.Thread(target=wait_then_record, args=("late",))
    late.start()
    for thread in [*started, late]:
        thread.join(timeout=10)
    assert order == ["first", "second", "third", "late"]


def test_a_waiter_gives_up_at_its_timeout_and_leaves_the_queue() -> None:
    lock = base._FairLock()
    assert lock.acquire(timeout=1)
    started = time.monotonic()
    assert lock.acquire(timeout=0.2) is False
    assert 0.15 < time.monotonic() - started < 2
    lock.release()
    assert lock.acquire(timeout=0.1)  # free again: nobody is left queued
    lock.release()


@pytest.mark.django_db(transaction=True)
def test_a_write_transaction_waiting_past_the_timeout_is_a_locked_database_error() -> None:
    outcome: list[BaseException | None] = []
    with transaction.atomic():  # this connection holds the write lock
        connection.cursor().execute("SELECT 1")

        def try_to_write() -> None:
            other = base.DatabaseWrapper({**connection.settings_dict, "OPTIONS": {"timeout": 0.3}}, alias="waiter")
            try:
                other.ensure_connection()
                other._start_transaction_under_autocommit()
                outcome.append(None)
            except OperationalError as exc:
                outcome.append(exc)
            finally:
                other.close()

        thread = threading.Thread(target=try_to_write)
        thread.start()
        thread.join(timeout=10)
    assert len(outcome) == 1
    assert isinstance(outcome[0], OperationalError)
    assert "locked" in str(outcome[0])


GEVENT_WAITER = """
from gevent import monkey

monkey.patch_all()
import fcntl, json, os, sys, time

import gevent

from meiduo.core.sqlite_backend import base

path = sys.argv[1]
holder, waiter = os.open(path, os.O_RDWR), os.open(path, os.O_RDWR)  # two descriptions: their flocks conflict
fcntl.flock(holder, fcntl.LOCK_EX)
seen = {"ticks": 0}

def other_requests():  # this worker's other greenlets, which must go on while one waits for the lock
    while "taken" not in seen:
        seen["ticks"] += 1
        gevent.sleep(0.001)

def writer():
    seen["taken"] = base._file_lock_take(waiter, path, time.monotonic() + float(sys.argv[2]))

def other_process_commits():
    gevent.sleep(0.2)
    if sys.argv[3] == "release":
        fcntl.flock(holder, fcntl.LOCK_UN)

gevent.joinall([gevent.spawn(other_requests), gevent.spawn(writer), gevent.spawn(other_process_commits)])
print(json.dumps(seen))
"""


@pytest.mark.parametrize(("timeout", "holder", "taken"), [(5, "release", True), (0.4, "keep", False)])
def test_under_gevent_a_held_file_lock_is_waited_for_while_the_workers_other_requests_go_on(
    tmp_path: Path, timeout: float, holder: str, taken: bool
) -> None:
    lock_file = tmp_path / "db.sqlite3-writelock"
    lock_file.touch()
    result = subprocess.run(
        [sys.executable, "-c", GEVENT_WAITER, str(lock_file), str(timeout), holder],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
        check=True,
    )
    seen = json.loads(result.stdout)
    assert seen["taken"] is taken  # taken once the other process let it go; given up at the deadline otherwise
    assert seen["ticks"] >= 20  # the other greenlets ran all the while (every ~1 ms for 0.2-0.4 s)
