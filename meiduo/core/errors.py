"""The application's error vocabulary: services raise these, one handler turns them into API.md shapes.

Every error body carries `code`, a stable machine-readable string clients branch on (docs/errors.md lists them).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A request that breaks a business rule: 400 `{"message": ..., "code": "rejected"}`."""

    status_code = 400
    code = "rejected"
    default_message: str | Promise = _("The request cannot be processed.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def body(self) -> dict[str, object]:
        """Return the JSON body the client sees."""
        return {"message": str(self.message), "code": self.code}


class FieldError(ServiceError):
    """Bad value of one input field found by a service: 400 `{"<field>": ["msg"], "code": "invalid"}`.

    A more precise `code` (e.g. `captcha_required`) replaces `invalid` where a client acts on it.
    """

    def __init__(self, field: str, message: str | Promise, code: str = "invalid") -> None:
        self.field = field
        self.code = code
        super().__init__(message)

    def body(self) -> dict[str, object]:
        return {self.field: [str(self.message)], "code": self.code}


class NotFoundError(ServiceError):
    """The object does not exist or belongs to someone else: 404 `{"detail": ...}`."""

    status_code = 404
    code = "not_found"
    default_message = _("Not found.")

    def body(self) -> dict[str, object]:
        return {"detail": str(self.message), "code": self.code}


class RateLimited(ServiceError):
    """Too many requests: 429 `{"message": ...}` with a Retry-After header."""

    status_code = 429
    code = "throttled"
    default_message = _("Too many requests, please try again later.")

    def __init__(self, retry_after: int, message: str | Promise | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message)


class ServiceUnavailable(ServiceError):
    """A database, cache or outside provider is down: 503 `{"message": ...}`."""

    status_code = 503
    code = "unavailable"
    default_message = _("The service is temporarily unavailable, please try again later.")
