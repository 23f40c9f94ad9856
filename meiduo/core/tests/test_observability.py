"""Request ids (header and log lines), rotating and JSON log files, and errors and slow transactions sent to a
Sentry endpoint on loopback that speaks Sentry's envelope protocol (meiduo/core/observability.py)."""

import gzip
import json
import os
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
import sentry_sdk
from celery import current_app
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from config.wsgi import application as shop_application
from meiduo.areas.models import Area
from meiduo.core.observability import request_id_var, sentry_init
from meiduo.core.tests.test_outages import DEAD_REDIS
from tests.support import loopback_server, run_python, wsgi_call

GENERATED = re.compile(r"[0-9a-f]{32}")


def request_ids(headers: list[tuple[str, str]]) -> list[str]:
    return [value for name, value in headers if name.lower() == "x-request-id"]


# --- request ids ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        (None, False),
        ("0123456789abcdef0123456789abcdef", True),  # nginx's $request_id
        ("3f2c9a1e-7d4b-4c1a-9e0f-2b8d6c4a1e57", True),
        ("short", False),
        ("x" * 129, False),
        ("abc def ghi", False),
        ("<script>alert(1)</script>", False),
        ("id\r\nSet-Cookie: a=b", False),
    ],
)
def test_every_answer_has_one_request_id_kept_from_nginx_when_sane(incoming: str | None, kept: bool) -> None:
    headers = {"X-Request-ID": incoming} if incoming is not None else {}
    for path in ("/healthz", "/api/v1/no-such-path/"):
        answer = wsgi_call(shop_application, path, headers=headers)
        [request_id] = request_ids(answer.headers)
        assert request_id == incoming if kept else GENERATED.fullmatch(request_id)


@pytest.mark.django_db
def test_cached_answers_of_the_memory_tier_carry_their_own_request_id(django_assert_num_queries: Any) -> None:
    province, _ = Area.objects.get_or_create(id=44, defaults={"name": "广东省"})
    Area.objects.get_or_create(id=4403, defaults={"name": "深圳市", "parent": province})
    url = "/api/v1/areas/44/"
    first = wsgi_call(shop_application, url, headers={"X-Request-ID": "first-request-0001"})
    with django_assert_num_queries(0):  # answered from memory, before Django
        hit = wsgi_call(shop_application, url, headers={"X-Request-ID": "second-request-0002"})
        fresh = wsgi_call(shop_application, url)
    assert first.body == hit.body == fresh.body
    assert request_ids(first.headers) == ["first-request-0001"]
    assert request_ids(hit.headers) == ["second-request-0002"]
    [generated] = request_ids(fresh.headers)
    assert GENERATED.fullmatch(generated)


@dataclass
class Published:
    headers: list[dict[str, Any]] = field(default_factory=list)


def test_a_job_started_in_a_request_carries_its_id(settings: Any) -> None:
    """The id travels in the message (Celery's own publish path, on the in-memory broker of the tests)."""
    conf = current_app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    token = request_id_var.set("request-with-a-job-1")
    try:
        with current_app.connection_for_write() as connection:
            current_app.send_task("tests.no_such_task", connection=connection)
            message = connection.SimpleQueue("celery").get(timeout=5)
            message.ack()
    finally:
        request_id_var.reset(token)
        conf.task_always_eager = eager
    assert message.headers["task"] == "tests.no_such_task"
    assert message.headers["request_id"] == "request-with-a-job-1"


# --- log files -------------------------------------------------------------------------------------------------

LOGGING_SCRIPT = textwrap.dedent(
    """
    import logging
    import django
    django.setup()
    from django.http import HttpResponse
    from django.test import RequestFactory
    from meiduo.core.observability import RequestIdMiddleware

    log = logging.getLogger("meiduo.orders")

    def view(request):
        for number in range(120):
            log.info("下单 %03d", number)
        return HttpResponse()

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="nginx-request-42"))
    log.warning("outside any request")
    try:
        raise ValueError("a bug")
    except ValueError:
        log.exception("failed")
    logging.getLogger("meiduo.orders.detail").debug("below LOG_LEVEL")
    """
)


def run_logging_script(tmp_path: Path, **env: str) -> str:
    """Run the script in a fresh process with the production variables; return its stderr."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MEIDUO_DATA_DIR": str(tmp_path / "data"),
        "LOG_DIR": str(tmp_path / "logs"),
        "LOG_FILE_MAX_BYTES": "3000",
        "LOG_FILE_BACKUPS": "2",
        **env,
    }
    environment.pop("SENTRY_DSN", None)
    done = run_python(LOGGING_SCRIPT, env=environment)
    return done.stderr


def log_files(tmp_path: Path) -> dict[str, str]:
    return {path.name: path.read_text("utf-8") for path in sorted((tmp_path / "logs").glob("meiduo.log*"))}


def test_log_files_are_rotated_by_size_keeping_a_count_and_every_line_has_the_request_id(tmp_path: Path) -> None:
    stderr = run_logging_script(tmp_path)
    files = log_files(tmp_path)
    assert sorted(files) == ["meiduo.log", "meiduo.log.1", "meiduo.log.2"]  # older ones dropped
    # A file is rotated once it has reached the size, so it may pass it by its last line at most.
    longest = max(len(line.encode()) + 1 for text in files.values() for line in text.splitlines())
    assert all(len(text.encode()) < 3000 + longest for text in files.values())
    assert all(len(text.encode()) >= 3000 for name, text in files.items() if name != "meiduo.log")
    assert re.search(r"^\S+ \S+ WARNING meiduo\.orders \[-\] outside any request$", files["meiduo.log"], re.M)
    assert "ERROR meiduo.orders [-] failed" in files["meiduo.log"]
    assert "ValueError: a bug" in files["meiduo.log"]
    for text in files.values():
        for line in text.splitlines():
            if "下单" in line:
                assert re.fullmatch(r"\S+ \S+ INFO meiduo\.orders \[nginx-request-42\] 下单 \d{3}", line)
    assert "下单 119" in files["meiduo.log"]
    assert "below LOG_LEVEL" not in stderr
    # stderr has every line, in the same format.
    assert len(re.findall(r"\[nginx-request-42\] 下单", stderr)) == 120


def test_json_lines_on_request(tmp_path: Path) -> None:
    stderr = run_logging_script(tmp_path, LOG_JSON="true", LOG_FILE_MAX_BYTES="1000000")
    files = log_files(tmp_path)
    assert list(files) == ["meiduo.log"]
    records = [json.loads(line) for line in files["meiduo.log"].splitlines()]
    assert records == [json.loads(line) for line in stderr.splitlines()]
    assert records[0]["message"] == "下单 000"
    assert {record["request_id"] for record in records[:120]} == {"nginx-request-42"}
    assert (records[120]["levelname"], records[120]["request_id"]) == ("WARNING", "-")
    failed = records[121]
    assert (failed["name"], failed["message"]) == ("meiduo.orders", "failed")
    assert "ValueError: a bug" in failed["exc_info"]
    assert len(records) == 122


# --- Sentry ------------------------------------------------------------------------------------------------------


@dataclass
class SentryInbox:
    """What a Sentry server received: the items of every envelope, with their raw bytes."""

    dsn: str
    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        sentry_sdk.flush(timeout=10)
        return [payload for item_type, payload in self.items if item_type == kind]


def envelope_items(body: bytes) -> Iterator[tuple[str, dict[str, Any]]]:
    """The (type, payload) items of a Sentry envelope: a header line, then an item header and payload per item."""
    lines = body.split(b"\n")
    index = 1
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        item_header = json.loads(lines[index])
        yield item_header["type"], json.loads(lines[index + 1]) if lines[index + 1].startswith(b"{") else {}
        index += 2


@pytest.fixture
def sentry() -> Iterator[SentryInbox]:
    """A loopback HTTP endpoint that accepts envelopes as Sentry's ingest does (POST /api/<project>/envelope/)."""
    inbox = SentryInbox(dsn="")

    class Ingest(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            assert self.path == "/api/7/envelope/"
            assert "sentry_key=public-key" in self.headers.get("X-Sentry-Auth", "")
            inbox.raw.append(body)
            inbox.items.extend(envelope_items(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with loopback_server(Ingest) as url:
        inbox.dsn = url.replace("http://", "http://public-key@") + "/7"
        yield inbox
        sentry_sdk.flush(timeout=10)
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: the rest of the tests send nothing


def start_sentry(inbox: SentryInbox, slow_transaction_ms: int) -> None:
    sentry_init(
        dsn=inbox.dsn,
        environment="test",
        release="meiduo@test",
        traces_sample_rate=1.0,
        slow_transaction_ms=slow_transaction_ms,
    )


@pytest.mark.django_db
@pytest.mark.urls("meiduo.core.tests.urls_failing")
def test_a_server_error_reaches_sentry_with_its_request_id_and_no_secrets(sentry: SentryInbox) -> None:
    start_sentry(sentry, slow_transaction_ms=60_000)
    answer = wsgi_call(
        WSGIHandler(),
        "/failing/?page=2",
        method="POST",
        data="password=secret-password-1&sms_code=123456",
        content_type="application/x-www-form-urlencoded",
        headers={"X-Request-ID": "nginx-failing-0001", "Authorization": "JWT secret-access-token"},
    )
    assert answer.status == 500
    [event] = sentry.of_type("event")
    [error] = event["exception"]["values"]
    assert (error["type"], error["value"]) == ("RuntimeError", "boom for the error tracker")
    assert event["tags"]["request_id"] == "nginx-failing-0001"
    assert (event["environment"], event["release"]) == ("test", "meiduo@test")
    assert event["request"]["method"] == "POST"
    assert event["request"]["url"].endswith("/failing/")
    everything = b"".join(sentry.raw)
    for secret in (b"secret-access-token", b"secret-password-1", b"123456"):
        assert secret not in everything
    assert sentry.of_type("transaction") == []  # fast: below the slow threshold


@pytest.mark.django_db
def test_slow_transactions_reach_sentry_fast_ones_do_not(sentry: SentryInbox) -> None:
    start_sentry(sentry, slow_transaction_ms=60_000)
    assert wsgi_call(WSGIHandler(), "/healthz", headers={"X-Request-ID": "fast-request-0001"}).status == 200
    assert sentry.of_type("transaction") == []
    assert "callback_error" not in b"".join(sentry.raw).decode()  # dropped as fast, not by a failing filter

    start_sentry(sentry, slow_transaction_ms=0)  # every transaction is "slow"
    assert wsgi_call(WSGIHandler(), "/healthz", headers={"X-Request-ID": "slow-request-0002"}).status == 200
    [transaction] = sentry.of_type("transaction")
    assert transaction["transaction"] == "/healthz"
    assert transaction["tags"]["request_id"] == "slow-request-0002"
    assert transaction["contexts"]["trace"]["op"] == "http.server"
    assert sentry.of_type("event") == []
    assert settings.SENTRY_DSN == ""  # the tests' own settings never send anywhere


@pytest.mark.django_db
def test_an_outage_answered_503_reaches_sentry_as_an_error(sentry: SentryInbox, settings: Any) -> None:
    start_sentry(sentry, slow_transaction_ms=60_000)
    settings.SMS_CAPTCHA_REQUIRED = False
    settings.CACHES = DEAD_REDIS
    answer = wsgi_call(WSGIHandler(), "/api/v1/sms_codes/13800138000/", headers={"X-Request-ID": "outage-0001"})
    assert answer.status == 503
    [event] = sentry.of_type("event")
    assert event["level"] == "error"
    assert event["logger"] == "meiduo.errors"
    assert "service unavailable in SmsCodeView" in json.dumps(event, ensure_ascii=False)
    assert event["tags"]["request_id"] == "outage-0001"
