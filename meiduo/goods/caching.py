"""The catalog's namespace of the shared answer cache (meiduo.core.httpcache), bumped by every catalog write."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.response import Response

from meiduo.core import httpcache

CATALOG = "catalog"


def catalog_version_bump() -> None:
    """Invalidate every cached catalog answer (atomic across processes)."""
    httpcache.version_bump(CATALOG)


def cached_catalog_response(request: Request, build: Callable[[], Any]) -> Response:
    """A public catalog GET answered from the cache, with the catalog's lifetimes."""
    return httpcache.cached_response(
        request,
        build,
        namespace=CATALOG,
        timeout=settings.CATALOG_CACHE_TIMEOUT,
        max_age=settings.CATALOG_HTTP_MAX_AGE,
    )
