"""Middleware that answers 503 instead of 500 when a backing service fails outside DRF views."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from meiduo.core.errors import ServiceUnavailable
from meiduo.core.unavailable import is_unavailable

logger = logging.getLogger("meiduo.errors")


class ServiceUnavailableMiddleware:
    """Catch database/cache outages raised by plain Django views (admin, health, docs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer 503 for an outage; leave every other exception to Django."""
        if not is_unavailable(exception):
            return None
        where = getattr(request.resolver_match, "view_name", None) or request.path
        logger.error("service unavailable in %s: %s: %s", where, type(exception).__name__, exception)
        message = str(ServiceUnavailable.default_message)
        if request.path.startswith("/api/"):
            return JsonResponse(ServiceUnavailable().body(), status=503)
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
