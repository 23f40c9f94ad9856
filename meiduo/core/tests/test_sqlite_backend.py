"""The embedded SQLite engine: pooled connections, write transactions served in arrival order, bounded waits."""

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
