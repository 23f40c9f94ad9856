"""Server-side cache of public GET answers, versioned per namespace, with ETag, Cache-Control and 304.

An answer is stored with its ETag under a key holding its namespace's current
version (and the language and full URL), so bumping the version (an atomic
`incr`) makes every older answer unreachable at once: a change is visible on
the very next request, on every process and host. Clients get `ETag` and
`Cache-Control`, and a 304 when their copy is still current.
"""

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response


def _version_key(namespace: str) -> str:
    return f"httpcache:version:{namespace}"


def _fresh_version() -> int:
    """A starting version that never repeats one handed out before the cache was emptied."""
    return time.time_ns() // 1000


def version(namespace: str) -> int:
    """The current version of a namespace's cached answers."""
    key = _version_key(namespace)
    current = cache.get(key)
    if current is None:
        cache.add(key, _fresh_version(), timeout=None)
        current = cache.get(key, _fresh_version())
    return int(current)


def version_bump(namespace: str) -> None:
    """Invalidate every cached answer of the namespace (atomic across processes)."""
    try:
        cache.incr(_version_key(namespace))
    except ValueError:  # no version yet (or it was evicted): any fresh one differs from all issued
        cache.add(_version_key(namespace), _fresh_version(), timeout=None)


def _etag(data: Any) -> str:
    body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def cached_response(
    request: Request, build: Callable[[], Any], *, namespace: str, timeout: int, max_age: int
) -> Response:
    """Answer a public GET from the cache (or build and cache it for `timeout` s), honouring If-None-Match."""
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"httpcache:answer:{namespace}:{version(namespace)}:{get_language()}:{url}"
    entry = cache.get(key)
    if entry is None:
        data = build()
        entry = (_etag(data), data)
        cache.set(key, entry, timeout=timeout)
    etag, data = entry
    matches = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    response = Response(status=304) if etag in matches or f"W/{etag}" in matches or "*" in matches else Response(data)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)
    return response
