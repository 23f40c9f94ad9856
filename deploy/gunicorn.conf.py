"""Gunicorn settings for `make run` and production: threaded workers, logs to stdout, bind from the environment."""

import os

# `make run` passes HOST:PORT as MEIDUO_BIND; production may set GUNICORN_BIND (e.g. a unix socket).
bind = [os.environ.get("GUNICORN_BIND") or os.environ.get("MEIDUO_BIND") or "127.0.0.1:8000"]
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# nginx on the same host sets X-Forwarded-For/Proto; trust only it (a comma list of proxy addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No runtime control socket: several shops on one host would fight over its single default path.
control_socket_disable = True
