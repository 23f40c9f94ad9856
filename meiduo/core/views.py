"""Service endpoints (/healthz, /readyz), JSON error pages under /api/, and the storefront fallback."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from meiduo.core.securitycache import SECURITY_CACHE_ALIAS

logger = logging.getLogger("meiduo.health")


def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """The database and both caches (answers, security) answer; 503 naming the failed one otherwise."""
    checks: dict[str, str] = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        logger.error("readyz: database: %s", exc)
        checks["database"] = "unavailable"
    for name, alias in (("cache", "default"), ("security_cache", SECURITY_CACHE_ALIAS)):
        try:
            probe = f"readyz:{uuid.uuid4().hex}"
            caches[alias].set(probe, 1, 5)
            checks[name] = "ok" if caches[alias].get(probe) == 1 else "unavailable"
            caches[alias].delete(probe)
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            logger.error("readyz: %s: %s", name, exc)
            checks[name] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


@csrf_exempt  # it changes nothing; without this a write to a mistyped path gets Django's HTML CSRF page
def api_not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Any path under /api/ that no route matches, whatever the method."""
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 handler: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 handler (a request Django refuses itself: too large a body, too many fields): JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("The request is malformed or too large."), "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 handler: JSON under /api/ (a bug; outages are turned into 503 before this)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error, please try again later."), "code": "server_error"}, status=500)
    return defaults.server_error(request)


STOREFRONT_MISSING = """<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>美多商城</title>
<body><h1>美多商城</h1><p>The storefront has not been built yet: run <code>make run</code>
(it builds frontend/), or browse the API at <a href="/api/docs/">/api/docs/</a>.</p></body></html>"""


def storefront(request: HttpRequest) -> HttpResponse:
    """Every non-API page: the storefront app's index.html, which routes in the browser."""
    index = Path(settings.FRONTEND_DIST) / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except FileNotFoundError:
        html = STOREFRONT_MISSING
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
