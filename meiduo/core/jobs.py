"""Starting a background job by its registered Celery name, so a service never imports a tasks module."""

import logging
from typing import Any

from celery import current_app

logger = logging.getLogger("meiduo.jobs")


def job_start(name: str, *, kwargs: dict[str, Any] | None = None, countdown: float | None = None) -> bool:
    """Queue the task registered as `name`; run it here when tasks are eager (tests). False if the broker failed.

    A broker outage is logged, never raised: every job started this way has a
    beat job that finds the same work later.
    """
    if current_app.conf.task_always_eager:
        current_app.loader.import_default_modules()  # registers every app's tasks, so the eager run finds `name`
    try:
        current_app.signature(name, kwargs=kwargs or {}).apply_async(countdown=countdown)
    except Exception:  # any broker failure (kombu, redis, SQLAlchemy); eager runs propagate their errors below
        if current_app.conf.task_always_eager:
            raise
        logger.exception("could not start the job %s %r", name, kwargs)
        return False
    return True
