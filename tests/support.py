"""Test helpers: a fast Argon2 hasher, a loopback HTTP server for fakes, a loopback S3 server, a starting gate for
races, a WSGI client, the database mark of a test that searches."""

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory

from meiduo.core.fronttier import answer_of

S3_REGION = "us-east-1"
S3_ACCESS_KEY_ID = "test-key"
S3_SECRET_ACCESS_KEY = "test-secret-not-real"

# InnoDB adds a document to its FULLTEXT index when the transaction writing it commits, so on MySQL / MariaDB a
# test that searches commits its writes (a transactional test) instead of rolling one transaction back.
searching = pytest.mark.django_db(transaction=connection.vendor == "mysql")


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


@contextmanager
def loopback_s3(bucket: str) -> Iterator[str]:
    """An S3-compatible server (moto) on 127.0.0.1 (a free port) in a thread, with `bucket` created; yields its
    endpoint URL (credentials: S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY), stops on exit."""
    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=S3_REGION,
            aws_access_key_id=S3_ACCESS_KEY_ID,
            aws_secret_access_key=S3_SECRET_ACCESS_KEY,
        ).create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        server.stop()


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
    assert not any(thread.is_alive() for thread in threads), "a racing job did not finish in time"
    return results


@dataclass
class WSGIAnswer:
    """What a WSGI application sent: status code, headers in order, body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The value of a header (the first one of that name), case-insensitive."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


class CountingApp:
    """A WSGI application (e.g. config.wsgi.django_application) counting the requests that reach it."""

    def __init__(self, app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]) -> None:
        self.app = app
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.calls += 1
        return self.app(environ, start_response)


def wsgi_call(
    application: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]],
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> WSGIAnswer:
    """Send one request straight to a WSGI application (what gunicorn calls), e.g. config.wsgi.application.

    Unlike Django's test client this goes through any WSGI layer in front of
    Django. The database connection is left open between requests (as the test
    client does), so the test's transaction holds.
    """
    environ = RequestFactory().generic(method, path, headers=headers, **extra).environ
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        status, sent_headers, _exc_info, body = answer_of(application, environ)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return WSGIAnswer(int(status.split()[0]), list(sent_headers), body)


def run_python(code: str, *args: str, env: dict[str, str]) -> "subprocess.CompletedProcess[str]":
    """Run `code` with this Python in a fresh process at the project's root with the environment `env`; assert it
    exited 0 (its stderr is the failure message) and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done


def error_fields(body: dict[str, Any]) -> list[str]:
    """The fields an error body names (API.md): its keys without the machine-readable `code` and `codes`.

    A field that is itself called `code` (OAuth's authorization code) keeps its messages under that key.
    """
    return [key for key in body if key != "codes" and not (key == "code" and isinstance(body[key], str))]
