"""The two-host reference layout on loopback: a database of its own on the test's PostgreSQL, two web hosts,
one Celery worker and one beat, each a process (group) with its own working folder and only the shared
environment in common — what deploy/ installs on two machines (docs/operations.md, "Two web hosts"). Every
process runs the command line of its systemd unit in deploy/systemd."""

import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent.parent
UNITS = ROOT / "deploy" / "systemd"
DATABASE = "meiduo_twohosts"
STARTUP_TIMEOUT = 120
# Variables of the calling environment that a host inherits: nothing of the shop's configuration.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def free_port() -> int:
    """A loopback port the OS reports free."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def with_path(url: str, path: str) -> str:
    """`url` with another path (a database name, a Redis database number)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{path}", "", ""))


def unit_commands(unit: str, folder: Path, instance: str = "1") -> list[list[str]]:
    """The ExecStart command lines of a deploy/systemd unit, for this checkout, this Python and `folder` as the
    host's /var/lib/meiduo (with %i, %H and %% expanded as systemd does)."""
    venv = str(Path(sys.executable).parent)
    commands = []
    for line in (UNITS / unit).read_text().splitlines():
        if line.startswith("ExecStart="):
            text = line.removeprefix("ExecStart=").replace("/srv/meiduo/.venv/bin", venv)
            text = text.replace("/var/lib/meiduo", str(folder)).replace("%i", instance)
            commands.append(shlex.split(text.replace("%H", socket.gethostname()).replace("%%", "%")))
    assert commands, f"{unit} has no ExecStart"
    return commands


def database_create(server_url: str) -> str:
    """A new, empty database `meiduo_twohosts` on the server of `server_url` (dropped first if left over)."""
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    return with_path(server_url, DATABASE)


def database_drop(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def wait_for(predicate: object, timeout: float, what: str) -> None:
    """Poll `predicate()` every 0.2 s until it is true; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


@dataclass
class Process:
    """One started process group and the log file of its output."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM to the whole group (gunicorn's and Celery's children too); SIGKILL if it is not gone in 30 s."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)


@dataclass
class Fleet:
    """The started layout: the web hosts' base URLs, the shared environment, every process."""

    work: Path
    shared: dict[str, str]
    hosts: list[str] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)

    def env(self, folder: Path, **extra: str) -> dict[str, str]:
        """A host's environment: the shared file + its own data folder (+ its own bind address)."""
        inherited = {key: os.environ[key] for key in INHERITED if key in os.environ}
        return {**inherited, **self.shared, "MEIDUO_DATA_DIR": str(folder), **extra}

    def run(self, folder: Path, argv: list[str]) -> None:
        """Run a command to its end as a host would (its environment, its folder); fail with its output."""
        result = subprocess.run(
            argv,
            cwd=ROOT,
            env=self.env(folder),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{shlex.join(argv)}:\n{result.stdout}\n{result.stderr}"

    def start(self, name: str, argv: list[str], folder: Path, **extra: str) -> Process:
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=self.env(folder, **extra),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def logs(self) -> str:
        """The last lines of every process's output (for a failure message)."""
        tails = []
        for process in self.processes:
            lines = process.output().splitlines()[-40:]
            tails.append(f"--- {process.name} (exit {process.popen.poll()})\n" + "\n".join(lines))
        return "\n".join(tails)


def ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/readyz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def two_hosts(*, work: Path, shared: dict[str, str], web_processes: int = 2) -> Iterator[Fleet]:
    """Release and seed through host 1, then start web 1, web 2, a worker and the one beat.

    `shared` is the environment every host gets (/etc/meiduo/env, deploy/env.example); each process has its own
    folder under `work` (its /var/lib/meiduo) and its own bind address (host.env). The demo gateway's keys are
    copied from host 1 to the others, as the recipe says for PAYMENT_GATEWAY=demo: the same on every host.
    """
    ports = [free_port(), free_port()]
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    shared = {
        **shared,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "PAYMENT_DEMO_GATEWAY_URL": f"{hosts[0]}/api/v1/payment/demo/gateway/",
        "PAYMENT_NOTIFY_URL": f"{hosts[1]}/api/v1/payment/alipay/notify/",
        "PAYMENT_RETURN_URL": f"{hosts[0]}/pay_success.html",
        "WEB_CONCURRENCY": str(web_processes),
        "PYTHONUNBUFFERED": "1",
    }
    fleet = Fleet(work=work, shared=shared, hosts=hosts)
    folders = {name: work / name for name in ("host1", "host2", "worker", "beat")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    try:
        # Release, once, on host 1 (meiduo-migrate: migrate + collectstatic; migrate's system checks make the demo
        # gateway's keys), then host 2's static files (meiduo-static); then the demo catalog (pictures to S3).
        for unit, name in (("meiduo-migrate.service", "host1"), ("meiduo-static.service", "host2")):
            for argv in unit_commands(unit, folders[name]):
                fleet.run(folders[name], argv)
        fleet.run(folders["host1"], [sys.executable, "manage.py", "load_demo"])
        # PAYMENT_GATEWAY=demo: its keys go from host 1 to the hosts that sign or check demo payments.
        for name in ("host2", "worker"):
            shutil.copytree(folders["host1"] / "payments", folders[name] / "payments")
        for index, name in enumerate(("host1", "host2")):
            [web] = unit_commands("meiduo-web.service", folders[name])
            fleet.start(f"web{index + 1}", web, folders[name], GUNICORN_BIND=f"127.0.0.1:{ports[index]}")
        [worker_command] = unit_commands("meiduo-worker@.service", folders["worker"])
        worker = fleet.start("worker", worker_command, folders["worker"])
        [beat] = unit_commands("meiduo-beat.service", folders["beat"])
        fleet.start("beat", beat, folders["beat"])
        for url in hosts:
            wait_for(lambda url=url: ready(url), STARTUP_TIMEOUT, f"{url}/readyz")
        wait_for(lambda: " ready." in worker.output(), STARTUP_TIMEOUT, "the Celery worker")
        for process in fleet.processes:
            assert process.popen.poll() is None, f"{process.name} exited:\n{process.output()}"
        yield fleet
    finally:
        for process in reversed(fleet.processes):
            process.stop()
