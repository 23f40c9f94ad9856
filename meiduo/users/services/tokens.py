"""Signed, time-limited tokens of the account flows (e-mail link, password-reset steps): reading them back."""

from typing import Any

from django.core import signing
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import FieldError, ServiceError

TOKEN_INVALID = _("The link or token is invalid.")
TOKEN_EXPIRED = _("The link or token has expired, please start again.")


def unsign(token: str, *, salt: str, max_age: int, field: str | None = None) -> dict[str, Any]:
    """The payload of a token signed with this salt and younger than max_age; a 400 otherwise."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise (FieldError(field, TOKEN_EXPIRED) if field else ServiceError(TOKEN_EXPIRED)) from exc
    except signing.BadSignature as exc:
        raise (FieldError(field, TOKEN_INVALID) if field else ServiceError(TOKEN_INVALID)) from exc
    if not isinstance(data, dict):
        raise FieldError(field, TOKEN_INVALID) if field else ServiceError(TOKEN_INVALID)
    return data
