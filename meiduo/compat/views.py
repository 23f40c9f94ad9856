"""/api/compat/<path>: the v1 view of the same path, its answer reshaped for the notes' front end.

The request runs through the very view /api/v1/<path> uses (authentication,
permissions, throttles, validation, services, the shared answer cache), seen
at its v1 path so cached catalog answers are shared with v1. Only the JSON of
the answer changes (meiduo.compat.shapes); a reshaped cacheable answer gets
its own ETag, and a matching If-None-Match a 304. /compat-pages/ shows the
exported static pages (meiduo.compat.services).
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django.views.static import serve

from meiduo.compat import shapes
from meiduo.core import httpcache
from meiduo.core.views import api_not_found

V1 = "/api/v1/"
COMPAT = "/api/compat/"


@csrf_exempt  # the v1 views are DRF views: session-authenticated writes are CSRF-checked there
def compat_view(request: HttpRequest, path: str) -> HttpResponse:
    """Any method on /api/compat/<path>: the v1 answer of <path> in the notes' shapes."""
    v1_path = V1 + path
    try:
        match = resolve(v1_path)
    except Resolver404:
        return api_not_found(request)
    client_etag = request.META.pop("HTTP_IF_NONE_MATCH", None)  # the client holds a compat ETag, not a v1 one
    script_name = request.path[: len(request.path) - len(request.path_info)]
    request.path_info, request.path = v1_path, script_name + v1_path
    response = match.func(request, *match.args, **match.kwargs)
    request.META.pop(httpcache.MARKER, None)  # the front tier keeps v1 answers only
    return _reshaped(response, match.url_name or "", client_etag)


def _reshaped(response: HttpResponse, url_name: str, client_etag: str | None) -> HttpResponse:
    """The answer with its JSON body in the notes' shape (other answers unchanged)."""
    if hasattr(response, "render") and not response.is_rendered:  # type: ignore[attr-defined]
        response.render()
    if not response.get("Content-Type", "").startswith("application/json") or not response.content:
        return response
    data: Any = json.loads(response.content)
    if response.status_code >= 400:
        data = shapes.error_shape(data)
    else:
        data = shapes.pagination_links(data, v1_prefix=V1, compat_prefix=COMPAT)
        reshape = shapes.RESHAPERS.get(url_name)
        if reshape is not None:
            data = reshape(data)
    response.content = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    if response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        if httpcache.etag_matches(client_etag, response["ETag"]):
            response.status_code = 304
            response.content = b""
    return response


def static_page(request: HttpRequest, path: str) -> HttpResponseBase:
    """GET /compat-pages/<path>: a file of the exported pages (for a look; nginx serves them in production)."""
    return serve(request, path, document_root=str(settings.COMPAT_STATIC_DIR))
