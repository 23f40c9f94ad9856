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
    if current_app.conf.task_always_eager and name not in current_app.tasks:
        # Registers every app's tasks (only their modules: the loader's full import would set Django up again,
        # re-configuring logging) so that the eager run finds `name`.
        current_app.autodiscover_tasks(force=True)
    try:
        current_app.signature(name, kwargs=kwargs or {}).apply_async(countdown=countdown)
    except Exception:  # any broker failure (kombu, redis, SQLAlchemy); eager runs propagate their errors below
        if current_app.conf.task_always_eager:
            raise
        logger.exception("could not start the job %s %r", name, kwargs)
        return False
    return True
