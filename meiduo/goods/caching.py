"""The catalog's namespace of the shared answer cache (meiduo.core.httpcache), bumped by every catalog write.

`CATALOG_ROUTES` lists every public catalog GET answered through it (search
included: its answers are catalog answers) with the query parameters each
reads; meiduo.core.fronttier serves the same routes from memory.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from rest_framework.request import Request

from meiduo.core import httpcache

CATALOG = "catalog"
_ID = "[0-9]{1,18}"  # the catalog_id converter of meiduo/goods/urls.py
_PAGE = ("page", "page_size")
_FILTERS = ("price_min", "price_max", "brand")
CATALOG_ROUTES = (
    httpcache.CachedRoute(r"^/api/v1/home/$", CATALOG),
    httpcache.CachedRoute(rf"^/api/v1/categories/{_ID}/$", CATALOG),
    httpcache.CachedRoute(rf"^/api/v1/categories/{_ID}/skus/$", CATALOG, ("ordering", *_PAGE, *_FILTERS)),
    httpcache.CachedRoute(rf"^/api/v1/categories/{_ID}/hotskus/$", CATALOG),
    httpcache.CachedRoute(rf"^/api/v1/skus/{_ID}/$", CATALOG),
    httpcache.CachedRoute(r"^/api/v1/skus/search/$", CATALOG, ("text", *_PAGE, *_FILTERS, "category")),
)


def catalog_version_bump() -> None:
    """Invalidate every cached catalog answer (atomic across processes)."""
    httpcache.version_bump(CATALOG)


def cached_catalog_response(request: Request, build: Callable[[], Any]) -> HttpResponse:
    """A public catalog GET answered from the cache, with the catalog's lifetimes."""
    return httpcache.cached_response(
        request,
        build,
        routes=CATALOG_ROUTES,
        timeout=settings.CATALOG_CACHE_TIMEOUT,
        max_age=settings.CATALOG_HTTP_MAX_AGE,
    )
