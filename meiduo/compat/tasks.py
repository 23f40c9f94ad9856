"""Celery tasks of compat: thin wrappers over the static export services."""

from celery import shared_task

from meiduo.compat import services


@shared_task
def static_pages_refresh() -> int | None:
    """Beat job: re-export the notes' static pages when the catalog changed since the last export."""
    return services.static_pages_refresh()
