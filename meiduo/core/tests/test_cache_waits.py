"""A locked embedded cache (another process holding its SQLite write lock) is a quick 503 JSON, never a hang.

diskcache's own Django backend retries a locked write for as long as the lock
is held: every request touching the cache hung for the whole outage, and with
a few of them every worker. meiduo.core.boundedcache bounds each wait.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from tests.support import run_together, wsgi_call

UNAVAILABLE = {"message": "服务暂时不可用，请稍后重试", "code": "unavailable"}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not hasattr(caches["default"], "directory"), reason="the embedded (diskcache) engine only"),
]


@pytest.fixture
def locked_caches() -> Iterator[Callable[[], None]]:
    """Hold an open `BEGIN EXCLUSIVE` on every SQLite file of both caches, as a stuck process would.

    Yields the function that ends the outage (also called at the end of the test).
    """
    for alias in ("default", "security"):
        caches[alias].get("warm-up")  # the shard files exist
    holders = []
    for alias in ("default", "security"):
        for database in sorted(Path(getattr(caches[alias], "directory")).glob("*/cache.db")):  # noqa: B009 - mypy
            holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
            holder.execute("BEGIN EXCLUSIVE")
            holders.append(holder)
    assert len(holders) == 16

    def release() -> None:
        while holders:
            holder = holders.pop()
            holder.execute("ROLLBACK")
            holder.close()

    try:
        yield release
    finally:
        release()


def test_requests_touching_a_locked_cache_get_a_quick_503_and_healthz_answers(settings, locked_caches):
    settings.SMS_CAPTCHA_REQUIRED = False

    def sms_code() -> tuple[int, object]:
        response = APIClient().get("/api/v1/sms_codes/13800138000/")
        return response.status_code, response.json()

    def login() -> tuple[int, object]:
        response = APIClient().post("/api/v1/authorizations/", {"username": "someone", "password": "whatever1"})
        return response.status_code, response.json()

    def home() -> tuple[int, object]:
        response = APIClient().get("/api/v1/home/")
        return response.status_code, response.json()

    def healthz() -> tuple[int, object]:
        response = APIClient().get("/healthz")
        return response.status_code, response.json()

    # Ten waiting at once, as in the report; each wait is bounded (CACHE_MAX_WAIT = 1 s), so all answer.
    answers = run_together([sms_code, login, home] * 3 + [healthz], timeout=10)

    assert answers[:9] == [(503, UNAVAILABLE)] * 9
    assert answers[9] == (200, {"status": "ok"})


def test_the_memory_tier_falls_through_to_a_503_when_the_locked_cache_has_no_version(locked_caches):
    from config.wsgi import application

    answer = wsgi_call(application, "/api/v1/skus/search/", QUERY_STRING="text=x")

    assert (answer.status, answer.json()) == (503, UNAVAILABLE)


def test_once_the_lock_is_gone_the_same_requests_succeed(settings, locked_caches):
    settings.SMS_CAPTCHA_REQUIRED = False
    client = APIClient()
    assert client.get("/api/v1/sms_codes/13800138000/").status_code == 503

    locked_caches()

    assert client.get("/api/v1/sms_codes/13800138000/").status_code == 200
    assert client.get("/api/v1/home/").status_code == 200


def open_cache_files(directory: Path) -> int:
    """How many of this process's file descriptors are open on the cache's shard databases."""
    return sum(1 for fd in Path("/proc/self/fd").iterdir() if str(fd.resolve()).startswith(str(directory)))


def test_a_cache_connection_is_closed_when_its_thread_ends(tmp_path: Path) -> None:
    """Not left open (with its page cache and statements) until a full garbage collection: under gevent every
    client connection is a greenlet, and a web worker held about a hundred of them after the orders benchmark."""
    from meiduo.core.boundedcache import BoundedFanoutCache

    cache = BoundedFanoutCache(str(tmp_path), shards=2, timeout=0.01, max_wait=1)
    in_use: list[int] = []

    def request() -> None:
        cache.set("key", "value")
        in_use.append(open_cache_files(tmp_path))

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert in_use[0] >= 1
    assert open_cache_files(tmp_path) == 0
    assert cache.get("key") == "value"  # this thread opens its own
    assert open_cache_files(tmp_path) >= 1
