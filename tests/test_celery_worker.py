"""A real Celery worker (with embedded beat, as `make run` starts it) takes a task from the broker and runs it, and
the shop's log lines of a job carry the id of the request that started it."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 60
TASK_TIMEOUT = 60

BROKERS = ["sqlite"] + (["redis"] if os.environ.get("REDIS_URL") else [])


def wait_for(predicate, timeout: float) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("broker", BROKERS)
def test_worker_runs_a_task_sent_through_the_broker(tmp_path, broker):
    broker_url = (
        f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}" if broker == "sqlite" else os.environ["REDIS_URL"]
    )
    queue = f"probe-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MEIDUO_DATA_DIR": str(tmp_path),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        "LOG_DIR": str(tmp_path / "logs"),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "config",
                "worker",
                "--beat",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--queues",
                queue,
                "--include",
                "tests.celery_probe",
                "--schedule",
                str(tmp_path / "celerybeat-schedule"),
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        ready = wait_for(lambda: "ready." in log_path.read_text() or worker.poll() is not None, STARTUP_TIMEOUT)
        assert ready and worker.poll() is None, log_path.read_text()

        target = tmp_path / "written-by-worker.txt"
        producer = Celery("probe", broker=broker_url)
        producer.send_task("tests.celery_probe.write_file", args=[str(target), "hello from the worker"], queue=queue)

        assert wait_for(target.exists, TASK_TIMEOUT), log_path.read_text()
        assert target.read_text() == "hello from the worker"
        assert "tests.celery_probe.write_file" in log_path.read_text()

        # A job carries the id of the request that started it (the web process adds the header): its lines show it.
        shop_log = tmp_path / "logs" / "meiduo.log"
        job = {"args": ["logged by the job"], "queue": queue, "headers": {"request_id": "web-42abcdef"}}
        producer.send_task("tests.celery_probe.log_line", **job)
        assert wait_for(lambda: shop_log.exists() and "logged by the job" in shop_log.read_text(), TASK_TIMEOUT)
        assert "WARNING meiduo.probe [web-42abcdef] logged by the job" in shop_log.read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
