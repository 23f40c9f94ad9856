"""Celery tasks of search: thin wrappers over the index services."""

from celery import shared_task

from meiduo.search import services


@shared_task
def search_ranks_refresh() -> int:
    """Beat job: re-rank the search documents of SKUs whose sales changed since they were indexed."""
    return services.search_ranks_refresh()
