"""Server-side cache of public catalog answers, keyed by a catalog version that every catalog write bumps.

A cached answer is stored with its ETag under a key holding the current
version, so bumping the version (atomic `incr`) makes every older answer
unreachable at once: an edit is visible on the very next request. Clients get
`ETag` + `Cache-Control` and a 304 when their copy is still current.
"""

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response

VERSION_KEY = "catalog:version"


def _fresh_version() -> int:
    """A starting version that never repeats one handed out before the cache was emptied."""
    return time.time_ns() // 1000


def catalog_version() -> int:
    """The current catalog version."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY, _fresh_version())
    return int(version)


def catalog_version_bump() -> None:
    """Invalidate every cached catalog answer (atomic across processes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or it was evicted): any fresh one differs from all issued
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)


def _etag(data: Any) -> str:
    body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def cached_catalog_response(request: Request, build: Callable[[], Any]) -> Response:
    """Answer a public catalog GET from the cache (or build and cache it), honouring If-None-Match."""
    path = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"catalog:answer:{catalog_version()}:{get_language()}:{path}"
    entry = cache.get(key)
    if entry is None:
        data = build()
        entry = (_etag(data), data)
        cache.set(key, entry, timeout=settings.CATALOG_CACHE_TIMEOUT)
    etag, data = entry
    matches = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    response = Response(status=304) if etag in matches or f"W/{etag}" in matches else Response(data)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.CATALOG_HTTP_MAX_AGE, must_revalidate=True)
    return response
