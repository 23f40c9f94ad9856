"""Test helpers: a fast Argon2 hasher, a loopback HTTP server for fakes, and a starting gate for races."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the cheapest parameters, so the suite still hashes with Argon2 but quickly."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (a free port) in a thread; yields the base URL, stops on exit.

    Fakes of outside services (SMS, payment, OAuth providers) use it so that
    the real client code talks real HTTP to them.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def run_together(jobs: list[Callable[[], Any]], timeout: float = 120) -> list[Any]:
    """Run the jobs in threads released at the same moment; results (or raised exceptions) in job order.

    Each thread closes its own database connection when done, so concurrency
    tests (marked `django_db(transaction=True)`) really race separate connections.
    """
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - handed to the test as that job's result
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing job did not finish in time"  # noqa: S101
    return results
