"""A few slow clients cannot starve `make run`'s web server: it still answers everyone else at once."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SLOW_CLIENTS = 50


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthz(port: int, timeout: float) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as answer:
        return int(answer.status)


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[int]:
    """The web process exactly as `make run`'s Procfile starts it (deploy/gunicorn.conf.py), embedded defaults."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "REDIS_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        MEIDUO_DATA_DIR=str(tmp_path),
        MEIDUO_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--config", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if healthz(port, timeout=2) == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.slow
def test_fifty_slow_clients_do_not_starve_the_web_server(web_server: int) -> None:
    stop = threading.Event()
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"
    sockets = [socket.create_connection(("127.0.0.1", web_server)) for _ in range(SLOW_CLIENTS)]

    def trickle() -> None:
        """Each slow client sends its headers one byte a second and never finishes them."""
        for index in range(len(request)):
            for slow in sockets:
                with contextlib.suppress(OSError):
                    slow.send(request[index : index + 1])
            if stop.wait(1):
                return

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        time.sleep(2)  # every slow client has started its request
        answers = [healthz(web_server, timeout=5) for _ in range(5)]
        assert answers == [200] * 5
    finally:
        stop.set()
        sender.join(timeout=5)
        for slow in sockets:
            slow.close()
