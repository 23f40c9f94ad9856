"""A web process loads the heavy client libraries only when it uses them (docs/performance.md, "Memory"), and a
gunicorn worker keeps the loaded shop out of the cyclic garbage collector ("Web server › Garbage collection").

Each check starts a fresh process that loads the web entry point (config/wsgi.py) as a gunicorn worker does, so a
new module-level import of psycopg, Celery, cryptography or requests (e.g. a view module importing social-auth-core)
fails here instead of silently costing every worker its megabytes again.
"""

import json
import os
import textwrap
from pathlib import Path

from tests.support import run_python

WATCHED = ("psycopg", "celery", "kombu", "cryptography", "requests")

SCRIPT = textwrap.dedent(
    """
    import json
    import sys

    import config.wsgi  # noqa: F401 - the web entry point, as a gunicorn worker loads it

    from django.urls import get_resolver
    from rest_framework import compat
    from rest_framework_simplejwt.tokens import AccessToken

    def loaded():
        return sorted(name for name in sys.argv[1:] if sys.modules.get(name) is not None)

    steps = {"started": loaded()}
    get_resolver().url_patterns  # the first request loads the URLconf, and with it every view module
    steps["views loaded"] = loaded()
    AccessToken(str(AccessToken()))  # an access token signed and verified (HS256), as every signed-in request does
    steps["token verified"] = loaded()
    if "--use" in sys.argv:
        from meiduo.core.jobs import job_start
        from meiduo.payments.gateways import demo_gateway

        job_start("meiduo.no_such_job")
        steps["job started"] = loaded()
        demo_gateway().page_pay_url(order_id="1", amount=1, subject="x")
        steps["payment signed"] = loaded()
    print(json.dumps({"steps": steps, "postgres_fields": compat.postgres_fields is not None}))
    """
)


def web_process(tmp_path: Path, *args: str, **env: str) -> dict:
    """Run the script in a fresh process with `make run`'s settings (embedded engines unless `env` says else)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "MEIDUO_DATA_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URLS", "REDIS_URL", "CELERY_BROKER_URL", "SENTRY_DSN"):
        environment.pop(name, None)
    environment.update(env)
    done = run_python(SCRIPT, *WATCHED, *args, env=environment)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_web_process_on_sqlite_loads_no_database_driver_broker_client_or_cryptography_until_it_uses_them(
    tmp_path: Path,
) -> None:
    answer = web_process(tmp_path, "--use")
    assert answer["steps"] == {
        "started": [],
        "views loaded": [],
        "token verified": [],
        "job started": ["celery", "kombu"],
        "payment signed": ["celery", "cryptography", "kombu"],
    }
    assert answer["postgres_fields"] is False  # no model has a PostgreSQL field: DRF has nothing to map


def test_on_postgresql_drf_still_maps_postgresql_fields(tmp_path: Path) -> None:
    """Nothing is connected: loading the entry point only reads the settings."""
    answer = web_process(tmp_path, DATABASE_URL="postgres://meiduo@127.0.0.1:1/meiduo")
    assert answer["postgres_fields"] is True
    assert "psycopg" in answer["steps"]["started"]


def test_a_gunicorn_worker_keeps_the_loaded_shop_out_of_the_collector(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import gc
        import json
        import runpy

        import config.wsgi  # noqa: F401 - loaded before the worker starts serving, as gunicorn does

        conf = runpy.run_path("deploy/gunicorn.conf.py")
        before = gc.get_threshold()
        conf["post_worker_init"](None)
        print(json.dumps({"before": before, "after": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
        """
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "MEIDUO_DATA_DIR": str(tmp_path)}
    answer = json.loads(run_python(script, env=environment).stdout.strip().splitlines()[-1])
    # Python's own thresholds stay: larger young generations made each collection a 2.5-ms stall of a request.
    assert answer["after"] == answer["before"] == [700, 10, 10]
    assert answer["frozen"] > 10_000  # modules, classes, URL patterns … of the loaded shop
