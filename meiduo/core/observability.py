"""Request ids, the log configuration and error tracking: what an operator follows a request and an error with.

- **Request ids.** Every request gets an id: a sane `X-Request-ID` from nginx (its `$request_id`) is kept,
  anything else is replaced by 32 random hex digits. The id is in the `X-Request-ID` response header (written by
  `request_id_wsgi` around the whole WSGI application, config/wsgi.py, so the answers meiduo.core.fronttier gives
  before Django runs have it too), in every log line of the shop's handlers (`RequestIdFilter`; Django's side is
  set by `RequestIdMiddleware`), on the Sentry event of the request, and in the jobs the request starts (a Celery
  header that the worker puts back in place while the task runs).
- **Logs** (`logging_config`): stdout always; with `LOG_DIR`, also `LOG_DIR/meiduo.log`, rotated by size and
  shared safely by every web and worker process (concurrent-log-handler); with `LOG_JSON`, one JSON object a line.
- **Sentry** (`sentry_init`): errors (exceptions and ERROR log records) and transactions slower than a threshold.
"""

import logging
import re
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponseBase

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_ENVIRON = "HTTP_X_REQUEST_ID"
# nginx's $request_id is 32 hex digits; other proxies send UUIDs or similar. Nothing that could forge a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
NO_REQUEST = "-"

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)
# sentry_sdk once `sentry_init` ran: without a DSN the SDK is never imported (about 8 MB per process).
_sentry: Any = None


def request_id_from(incoming: str | None) -> str:
    """The incoming id when it is sane, else a fresh random one."""
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return secrets.token_hex(16)


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request (or job) it was logged in, `-` outside of one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


StartResponse = Callable[..., Any]
WSGIApplication = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def request_id_wsgi(application: WSGIApplication, environ: dict[str, Any], start_response: StartResponse) -> Any:
    """Call a WSGI application with the request's id settled: passed on in the environ (Django's middleware keeps
    it), set for log lines, and sent in the X-Request-ID header of the answer, whoever made it (Django or the
    memory tier's cached answers)."""
    request_id = environ[REQUEST_ID_ENVIRON] = request_id_from(environ.get(REQUEST_ID_ENVIRON))

    def start_with_id(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return start_response(status, [*headers, (REQUEST_ID_HEADER, request_id)], exc_info)

    token = request_id_var.set(request_id)
    try:
        return application(environ, start_with_id)
    finally:
        request_id_var.reset(token)


class RequestIdMiddleware:
    """First of Django's middleware: the request's id for its log lines and its Sentry event.

    It does not write the response header: the memory tier (meiduo.core.fronttier) keeps Django's headers and
    replays them on later hits, which would then carry the first request's id. `request_id_wsgi` (config/wsgi.py),
    outside the tier, writes it on every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request.META.get(REQUEST_ID_ENVIRON))
        request.META[REQUEST_ID_ENVIRON] = request_id
        token = request_id_var.set(request_id)
        if _sentry is not None:
            _sentry.set_tag("request_id", request_id)
        try:
            return self.get_response(request)
        finally:
            request_id_var.reset(token)


def _job_carries_request_id(headers: dict[str, Any] | None = None, **_kwargs: Any) -> None:
    """A job started while handling a request carries its id (a message header)."""
    request_id = request_id_var.get()
    if headers is not None and request_id != NO_REQUEST:
        headers.setdefault("request_id", request_id)


def _job_logs_with_request_id(task: Any = None, **_kwargs: Any) -> None:
    """In the worker, a task's log lines carry the id of the request that started it (`-` for beat jobs)."""
    if task is not None and not task.request.is_eager:  # an eager task runs inside the request, with its id
        request_id_var.set(task.request.get("request_id") or NO_REQUEST)


def job_signals_connect() -> None:
    """Connect the two handlers above to Celery's signals; config/celery.py calls it when the Celery app is made.

    There, not at import: a web process loads Celery's client only when it starts its first job
    (meiduo.core.jobs), and no job is published before the app exists.
    """
    from celery.signals import before_task_publish, task_prerun

    before_task_publish.connect(_job_carries_request_id)
    task_prerun.connect(_job_logs_with_request_id)


# --- Logs ----------------------------------------------------------------------------------------------------

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
LOG_FILE_NAME = "meiduo.log"


def logging_config(
    *, level: str, log_dir: str = "", json_lines: bool = False, max_bytes: int, backups: int
) -> dict[str, Any]:
    """Django's LOGGING: the shop's loggers at `level`, Django's errors, everything else from WARNING on.

    Every line carries the request id. With `log_dir`, lines also go to `log_dir/meiduo.log`, rotated once it
    has reached `max_bytes` (so it passes it by one line at most), keeping `backups` older files (meiduo.log.1 …
    .N); every process of the shop may write and rotate it (a lock file beside it). With `json_lines`, every
    handler writes one JSON object a line (`asctime`, `levelname`, `name`, `request_id`, `message`, `exc_info`
    with the traceback).
    """
    if json_lines:
        formatter: dict[str, Any] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "json_ensure_ascii": False,
        }
    else:
        formatter = {"format": PLAIN_FORMAT}
    handlers: dict[str, dict[str, Any]] = {
        "console": {"class": "logging.StreamHandler", "formatter": "shop", "filters": ["request_id"]},
    }
    if log_dir:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        handlers["file"] = {
            "class": "concurrent_log_handler.ConcurrentRotatingFileHandler",
            "filename": str(Path(log_dir) / LOG_FILE_NAME),
            "maxBytes": max_bytes,
            "backupCount": backups,
            "encoding": "utf-8",
            "formatter": "shop",
            "filters": ["request_id"],
        }
    names = list(handlers)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "meiduo.core.observability.RequestIdFilter"}},
        "formatters": {"shop": formatter},
        "handlers": handlers,
        "root": {"handlers": names, "level": "WARNING"},
        "loggers": {
            "meiduo": {"handlers": names, "level": level, "propagate": False},
            "django.request": {"handlers": names, "level": "ERROR", "propagate": False},
        },
    }


# --- Sentry ----------------------------------------------------------------------------------------------------


def _seconds(value: Any) -> float:
    """A transaction's time as the SDK hands it over (an ISO 8601 string, a datetime or seconds)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.timestamp() if isinstance(value, datetime) else float(value)


def slow_transactions_only(threshold_ms: int) -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any] | None]:
    """Sentry's `before_send_transaction`: keep a transaction that took at least `threshold_ms`, drop the rest."""

    def keep_if_slow(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any] | None:
        started, ended = event.get("start_timestamp"), event.get("timestamp")
        if started is None or ended is None:
            return event
        return event if (_seconds(ended) - _seconds(started)) * 1000 >= threshold_ms else None

    return keep_if_slow


def sentry_init(
    *, dsn: str, environment: str, release: str, traces_sample_rate: float, slow_transaction_ms: int
) -> None:
    """Send errors and slow transactions to Sentry: unhandled exceptions (Django, DRF, Celery), ERROR log records
    (outages answered 503 included), and sampled transactions that took at least `slow_transaction_ms`.

    Nothing personal leaves the shop: no cookies, no Authorization header, no client IP (sentry-sdk's defaults
    without `send_default_pii`; its scrubber blanks passwords and tokens in stack variables) and no request
    bodies (passwords, codes, mobiles).
    """
    global _sentry  # noqa: PLW0603 - the process's one SDK, imported only when a DSN is set
    import sentry_sdk  # here, not at the top: see _sentry
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[
            # A span per middleware and per signal receiver would cost more than most of the shop's answers.
            DjangoIntegration(middleware_spans=False, signals_spans=False),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        traces_sample_rate=traces_sample_rate or None,  # 0: no transactions at all (None costs nothing per request)
        before_send_transaction=slow_transactions_only(slow_transaction_ms),  # type: ignore[arg-type]
        max_request_body_size="never",
    )
    _sentry = sentry_sdk
