"""Server-side cache of the area payloads and the HTTP caching headers (Cache-Control, ETag, 304)."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from rest_framework.request import Request
from rest_framework.response import Response

from meiduo.areas.services import GENERATION_KEY

SERVER_CACHE_SECONDS = 24 * 3600
HTTP_MAX_AGE = 3600


def cached_payload(key: str, build: Callable[[], Any]) -> tuple[Any, str]:
    """The payload for `key` and its ETag, from the cache or built once and stored for a day."""
    generation = cache.get_or_set(GENERATION_KEY, 0, timeout=None)
    slot = f"areas:{generation}:{key}"
    stored = cache.get(slot)
    if stored is None:
        data = build()
        body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        stored = (data, '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"')
        cache.set(slot, stored, SERVER_CACHE_SECONDS)
    return stored


def cacheable_response(request: Request, data: Any, etag: str) -> Response:
    """200 with the data, or an empty 304 when the client already holds this ETag; both cacheable."""
    matches = parse_etags(request.headers.get("If-None-Match", ""))
    response = Response(status=304) if etag in matches or "*" in matches else Response(data)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=HTTP_MAX_AGE)
    return response
