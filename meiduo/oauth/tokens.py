"""Signed values of the login flow: the browser-bound `state` (cookie) and the 10-minute binding access_token."""

import secrets

from django.core import signing
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import FieldError
from meiduo.core.securitycache import security_cache

STATE_COOKIE = "meiduo_oauth_state"
STATE_COOKIE_PATH = "/api/v1/oauth/"
STATE_TTL = 10 * 60
STATE_SALT = "meiduo.oauth.state"
BIND_TOKEN_TTL = 10 * 60
BIND_TOKEN_SALT = "meiduo.oauth.bind"  # noqa: S105 - a signing namespace, not a secret

STATE_INVALID = _("The login has expired or was started in another browser, please log in again.")
BIND_TOKEN_INVALID = _("The binding has expired, please log in with the provider again.")


def next_is_safe(value: str) -> bool:
    """A path on this site: one leading "/", no scheme, no host (so never `//evil`, `/\\evil` or `http://…`)."""
    return (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    )


def state_issue(*, provider: str, next_path: str) -> tuple[str, str]:
    """A fresh `state` for the authorize URL and the signed cookie value that binds it to this browser."""
    state = secrets.token_urlsafe(24)
    cookie = signing.dumps({"p": provider, "s": state, "n": next_path}, salt=STATE_SALT, compress=True)
    return state, cookie


def state_check(*, provider: str, cookie: str | None, state: str) -> str:
    """Accept the `state` the provider sent back once, in the browser that started the login; returns `next`."""
    try:
        payload = signing.loads(cookie or "", salt=STATE_SALT, max_age=STATE_TTL)
    except signing.BadSignature as exc:  # no cookie, tampered or older than STATE_TTL
        raise FieldError("state", STATE_INVALID) from exc
    if (
        not isinstance(payload, dict)
        or payload.get("p") != provider
        or not secrets.compare_digest(str(payload.get("s", "")), state)
    ):
        raise FieldError("state", STATE_INVALID)
    # One use across every process: whoever adds the marker first may go on.
    if not security_cache.add(f"oauth:state:used:{state}", 1, timeout=STATE_TTL + 60):
        raise FieldError("state", STATE_INVALID)
    next_path = str(payload.get("n") or "/")
    return next_path if next_is_safe(next_path) else "/"


def bind_token_issue(*, provider: str, openid: str, next_path: str) -> str:
    """The `access_token` that lets this visitor bind the provider account within BIND_TOKEN_TTL."""
    return signing.dumps({"p": provider, "o": openid, "n": next_path}, salt=BIND_TOKEN_SALT)


def bind_token_read(*, provider: str, token: str) -> tuple[str, str]:
    """The provider account id and `next` carried by a binding access_token of this provider."""
    try:
        payload = signing.loads(token, salt=BIND_TOKEN_SALT, max_age=BIND_TOKEN_TTL)
    except signing.BadSignature as exc:  # tampered or expired
        raise FieldError("access_token", BIND_TOKEN_INVALID) from exc
    openid = payload.get("o") if isinstance(payload, dict) else None
    if not isinstance(openid, str) or not openid or payload.get("p") != provider:
        raise FieldError("access_token", BIND_TOKEN_INVALID)
    next_path = str(payload.get("n") or "/")
    return openid, next_path if next_is_safe(next_path) else "/"
