"""The one DRF exception handler: application errors, DRF errors and outages in API.md shapes."""

import logging
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from meiduo.core.errors import RateLimited, ServiceError, ServiceUnavailable
from meiduo.core.unavailable import is_unavailable

logger = logging.getLogger("meiduo.errors")


def view_name(context: dict[str, Any]) -> str:
    """Name the view that failed, for the log line."""
    view = context.get("view")
    return type(view).__name__ if view is not None else "unknown view"


def unavailable_response(exc: BaseException, where: str) -> Response:
    """Log an outage with the view name and answer 503 without any internals."""
    logger.error("service unavailable in %s: %s: %s", where, type(exc).__name__, exc)
    return Response(ServiceUnavailable().body(), status=503)


def _code(exc: drf_exceptions.APIException) -> str:
    """DRF's own code of an error (`not_authenticated`, `permission_denied`, `method_not_allowed` ...)."""
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else str(exc.default_code)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn any exception raised in an API view into the API.md error shapes."""
    if isinstance(exc, ServiceError) and not isinstance(exc, ServiceUnavailable):
        response = Response(exc.body(), status=exc.status_code)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if is_unavailable(exc):
        return unavailable_response(exc, view_name(context))

    handled = exception_handler(exc, context)
    if handled is None:
        return None
    if isinstance(exc, drf_exceptions.Throttled):
        handled.data = {"message": _("Too many requests, please try again later."), "code": "throttled"}
    elif isinstance(exc, drf_exceptions.ValidationError):
        if not isinstance(handled.data, dict):
            handled.data = {"non_field_errors": handled.data}
        codes = exc.get_codes()
        # A field named `code` keeps its messages under that key (the form's field wins); its codes still show.
        handled.data.setdefault("code", "invalid")
        handled.data["codes"] = codes if isinstance(codes, dict) else {"non_field_errors": codes}
    elif isinstance(handled.data, dict) and isinstance(exc, drf_exceptions.APIException):
        handled.data.setdefault("code", _code(exc))  # simplejwt's answers bring their own (`token_not_valid`)
    return handled
