"""Server-side cache of public GET answers, versioned per namespace, with ETag, Cache-Control and 304.

An answer is stored as its serialised bytes with its ETag under a key holding
its namespace's current version, the language and the URL reduced to the
query parameters its route reads (junk parameters share one entry), so
bumping the version (an atomic `incr`) makes every older answer unreachable
at once: a change is visible on the very next request, on every process and
host. Clients get `ETag` and `Cache-Control`, and a 304 when their copy is
still current. Each answer is also marked in the WSGI environ (`MARKER`) so
that meiduo.core.fronttier may keep it in the process's memory and serve it
again before Django runs.
"""

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast
from urllib.parse import parse_qsl, quote, urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings

# Environ key set on a cacheable answer: (namespace, version it was built under, wall time it expires).
MARKER = "meiduo.httpcache"
# Environ key the memory tier sets to the (namespace, version) it has just checked, so the answer is not
# asked the shared cache for the version again (it is as fresh as the tier's, within its check interval).
VERSION_SEEN = "meiduo.httpcache.version"


@dataclass(frozen=True)
class CachedRoute:
    """A public GET path (regex on the full path) answered through this cache, and the query parameters it reads."""

    pattern: str
    namespace: str
    params: tuple[str, ...] = ()
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern))


def route_for(routes: Sequence[CachedRoute], path: str) -> CachedRoute | None:
    """The route whose pattern matches the path, if any."""
    return next((route for route in routes if route.regex.match(path)), None)


@lru_cache(maxsize=4096)
def normalized_query(query_string: str, params: tuple[str, ...]) -> str:
    """The query string reduced to the known parameters (last value wins, as QueryDict.get), sorted, encoded.

    `query_string` is as in the WSGI environ (bytes decoded as latin-1); Django
    parses the result back to the same values. Memoised: the same pages are asked for again and again.
    """
    if not query_string or not params:
        return ""
    raw = query_string.encode("latin-1", errors="replace")
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    values = {name: value for name, value in parse_qsl(text, keep_blank_values=True) if name in params}
    return urlencode(sorted(values.items()), quote_via=quote)


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


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header value covers the ETag (weak comparison, `*`)."""
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return etag in tags or f"W/{etag}" in tags or "*" in tags


def _normalize_request(request: Request, params: tuple[str, ...]) -> None:
    """Let the view (and its pagination links) see only the known parameters: the answer of the normalised URL."""
    raw = request.META.get("QUERY_STRING", "")
    query = normalized_query(raw, params)
    if query != raw:
        request._request.META["QUERY_STRING"] = query
        request._request.GET = QueryDict(query)


def _render(request: Request, data: Any) -> tuple[bytes, str]:
    """The answer's bytes and content type, rendered by the view's renderer (no indent: one stored form)."""
    renderer = request.accepted_renderer
    body = renderer.render(data, renderer.media_type, {})
    content_type = f"{renderer.media_type}; charset={renderer.charset}" if renderer.charset else renderer.media_type
    return body, content_type


def cached_response(
    request: Request,
    build: Callable[[], Any],
    *,
    routes: Sequence[CachedRoute],
    timeout: int,
    max_age: int,
) -> HttpResponse:
    """Answer a public GET from the cache (or build and cache it for `timeout` s), honouring If-None-Match.

    The request's path must match one of `routes`, which gives the namespace
    and the query parameters the view reads.
    """
    route = route_for(routes, request.path_info)
    if route is None:
        raise LookupError(f"{request.path_info} matches no cached route")
    _normalize_request(request, route.params)
    seen = request.META.get(VERSION_SEEN)
    current = seen[1] if seen is not None and seen[0] == route.namespace else version(route.namespace)
    key = ""
    if timeout:
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"httpcache:answer:{route.namespace}:{current}:{get_language()}:{url}"
    entry = cache.get(key) if key else None
    if entry is None:
        body, content_type = _render(request, build())
        entry = (f'"{hashlib.sha256(body).hexdigest()[:32]}"', body, content_type, time.time() + timeout)
        if key:
            cache.set(key, entry, timeout=timeout)
    etag, body, content_type, expires = entry
    request.META[MARKER] = (route.namespace, current, expires)
    # Stored bytes in a plain HttpResponse: nothing is serialised again, and DRF's dispatch adds its headers to any
    # response (a DRF Response here cost a template response's set-up for nothing).
    if etag_matches(request.headers.get("If-None-Match"), etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = _cache_control(max_age)
    return response


@lru_cache(maxsize=16)
def _cache_control(max_age: int) -> str:
    """The Cache-Control of a public answer, as patch_cache_control writes it on a fresh response."""
    response = HttpResponse()
    patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)
    return str(response["Cache-Control"])


class FrontAnswerMixin:
    """A DRF view of a cached route whose GET the memory tier may run without DRF's dispatch (`front_answer`).

    DRF's dispatch (parsers, authenticators and negotiation set up per request,
    finalize_response) was a quarter of an uncached catalog answer. The tier
    calls this only for request inputs it has already seen Django answer with
    a 200 (so negotiation chose the default renderer and no header of the
    dispatch is missing from the tier's template); the throttles still run.
    """

    @classmethod
    def front_answer(cls, request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
        view = cls()
        view.args, view.kwargs, view.format_kwarg, view.headers = (), kwargs, None, {}  # type: ignore[attr-defined]
        drf_request = Request(request, parsers=(), authenticators=(), negotiator=None)
        renderer = cast("type[BaseRenderer]", api_settings.DEFAULT_RENDERER_CLASSES[0])()
        drf_request.accepted_renderer, drf_request.accepted_media_type = renderer, renderer.media_type
        view.request = drf_request  # type: ignore[attr-defined]
        view.check_throttles(drf_request)  # type: ignore[attr-defined]
        return view.get(drf_request, **kwargs)  # type: ignore[attr-defined]
