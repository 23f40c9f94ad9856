"""Gunicorn settings for `make run` and production: threaded workers, logs to stdout, bind from the environment."""

import os

# The word segmenter's dictionary (about 33 MB, built when rjieba is imported) is made once here, in the master
# process, before the workers are forked: every worker shares the same pages instead of building its own copy, and
# a restarted worker starts without rebuilding it. Nothing else of the shop is loaded here (Django, the database and
# gevent's patching belong in each worker).
import rjieba  # noqa: F401

# `make run` passes HOST:PORT as MEIDUO_BIND; production may set GUNICORN_BIND (e.g. a unix socket).
bind = [os.environ.get("GUNICORN_BIND") or os.environ.get("MEIDUO_BIND") or "127.0.0.1:8000"]
# The embedded engines (make run: SQLite, no proxy in front) use gevent workers: a connection waits as a greenlet, so
# slow clients (a slow network, or an attacker sending headers a byte a second) cannot tie up the workers, and the
# cached answers run faster than on threads (docs/performance.md). With a server database (production), nginx in
# front buffers whole requests and answers, so slow clients never reach gunicorn, and the threaded workers keep the
# database drivers in their plain blocking mode.
_embedded = os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or ("gevent" if _embedded else "gthread")
worker_connections = 1000  # gevent: connections per worker
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
# No recycling by default: restarting a worker every ~2,000 requests reloaded Django and the word segmenter about
# once a second under load, and each restart was a latency spike (p99 0.6-1.6 s) and a loss of the worker's memory
# tier of cached answers (docs/performance.md). GUNICORN_MAX_REQUESTS bounds a worker's life if a leak appears.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# One line per request costs a write() and formatting on every answer (about a tenth of a cached answer's time):
# off unless GUNICORN_ACCESS_LOG is set ("-" = stdout, or a file). nginx in front keeps its own access log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# nginx on the same host sets X-Forwarded-For/Proto; trust only it (a comma list of proxy addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No runtime control socket: several shops on one host would fight over its single default path.
control_socket_disable = True


def worker_exit(server: object, worker: object) -> None:
    """Write the product views this worker counted but has not written yet (meiduo.goods.services)."""
    from meiduo.goods.services import sku_views_write

    sku_views_write()


def post_worker_init(worker: object) -> None:
    """Keep the objects of the loaded shop (about 100,000: modules, classes, URL patterns, settings) out of Python's
    cyclic garbage collector: a full collection over them took 10-20 ms, a stall of whichever request triggered it
    (one-client p99 many times p50 in `make bench`). Later objects are collected as before: rarer collections of
    the young objects (every 10,000 new objects instead of 700) saved no CPU that held up when measured again and
    made each pass a 2.5-ms stall, one-client p99 3-5× p50 (docs/performance.md, "Garbage collection")."""
    import gc

    gc.freeze()
