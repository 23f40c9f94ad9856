"""The application's error vocabulary: services raise these, one handler turns them into API.md shapes."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A request that breaks a business rule: 400 `{"message": ...}`."""

    status_code = 400
    default_message: str | Promise = _("The request cannot be processed.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def body(self) -> dict[str, object]:
        """Return the JSON body the client sees."""
        return {"message": str(self.message)}


class FieldError(ServiceError):
    """Bad value of one input field found by a service: 400 `{"<field>": ["msg"]}`."""

    def __init__(self, field: str, message: str | Promise, code: str | None = None) -> None:
        self.field = field
        self.code = code
        super().__init__(message)

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {self.field: [str(self.message)]}
        if self.code:  # a stable machine-readable code that clients branch on (API.md)
            body["code"] = self.code
        return body


class NotFoundError(ServiceError):
    """The object does not exist or belongs to someone else: 404 `{"detail": ...}`."""

    status_code = 404
    default_message = _("Not found.")

    def body(self) -> dict[str, object]:
        return {"detail": str(self.message)}


class RateLimited(ServiceError):
    """Too many requests: 429 `{"message": ...}` with a Retry-After header."""

    status_code = 429
    default_message = _("Too many requests, please try again later.")

    def __init__(self, retry_after: int, message: str | Promise | None = None) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message)


class ServiceUnavailable(ServiceError):
    """A database, cache or outside provider is down: 503 `{"message": ...}`."""

    status_code = 503
    default_message = _("The service is temporarily unavailable, please try again later.")
