"""Starting a background job by its registered Celery name, so a service never imports a tasks module.

The shop's Celery app (config/celery.py) is loaded by the first job a process starts: a web process that starts
none (a catalog read, an order) never loads Celery's client and broker libraries (about 6 MB).
"""

import logging
from typing import Any

logger = logging.getLogger("meiduo.jobs")


def job_start(name: str, *, kwargs: dict[str, Any] | None = None, countdown: float | None = None) -> bool:
    """Queue the task registered as `name`; run it here when tasks are eager (tests). False if the broker failed.

    A broker outage is logged, never raised: every job started this way has a
    beat job that finds the same work later.
    """
    from config.celery import app

    if app.conf.task_always_eager and name not in app.tasks:
        # Registers every app's tasks (only their modules: the loader's full import would set Django up again,
        # re-configuring logging) so that the eager run finds `name`.
        app.autodiscover_tasks(force=True)
    try:
        app.signature(name, kwargs=kwargs or {}).apply_async(countdown=countdown)
    except Exception:  # any broker failure (kombu, redis, SQLAlchemy); eager runs propagate their errors below
        if app.conf.task_always_eager:
            raise
        logger.exception("could not start the job %s %r", name, kwargs)
        return False
    return True
