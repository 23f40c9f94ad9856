"""The areas' namespace of the shared answer cache (meiduo.core.httpcache): a day on the server, an hour in browsers."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from rest_framework.request import Request

from meiduo.core import httpcache

AREAS = "areas"
SERVER_CACHE_SECONDS = 24 * 3600
HTTP_MAX_AGE = 3600
AREA_ROUTES = (
    httpcache.CachedRoute(r"^/api/v1/areas/$", AREAS),
    httpcache.CachedRoute(r"^/api/v1/areas/[0-9]+/$", AREAS),
)


def area_cache_invalidate() -> None:
    """Drop every cached area answer so the next requests rebuild them from the database."""
    httpcache.version_bump(AREAS)


def cached_area_response(request: Request, build: Callable[[], Any]) -> HttpResponse:
    """A public area GET answered from the cache."""
    return httpcache.cached_response(
        request, build, routes=AREA_ROUTES, timeout=SERVER_CACHE_SECONDS, max_age=HTTP_MAX_AGE
    )
