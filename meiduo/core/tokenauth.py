"""JWT authentication that honours logout: access tokens of an ended session are refused at once.

Every access token carries `sid`, the id (jti) of the refresh token it was
issued with. Logging out puts that id, and the jti of the access token sent
with the logout, on a deny-list in the security cache until the longest an
access token can live; this class refuses a token whose jti or sid is on it
(one cache read per authenticated request, no database query).

A token's signature, claims and type are checked once per token string in a process (the 1,024 most recently
sent are remembered; PyJWT's decoding was a tenth of a cart add); its expiry is checked on every request, and an
expired one goes through simplejwt again for simplejwt's own refusal.

The user is then read with one fixed statement (meiduo.core.sql.instance) instead of simplejwt's queryset,
which cost more to build than the read itself; a token of a missing or inactive user, or one issued before
the password changed, is refused by simplejwt's own check.
"""

from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow, get_md5_hash_password

from meiduo.core import sql
from meiduo.core.securitycache import security_cache

SESSION_CLAIM = "sid"


def denied_key(token_id: str) -> str:
    """The deny-list entry of a token id (an access token's jti or a session's sid)."""
    return f"jwt:denied:{token_id}"


@lru_cache(maxsize=1024)
def _checked(raw_token: bytes) -> Token:
    """simplejwt's checks of a token (signature, claims, type), made once per token string."""
    return JWTAuthentication().get_validated_token(raw_token)


class SessionJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, refusing tokens of sessions that were logged out."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = _checked(raw_token)
        try:
            token.check_exp(current_time=aware_utcnow())
        except TokenError:  # expired since it was checked: simplejwt refuses it in its own words
            token = super().get_validated_token(raw_token)
        ids = [str(token.get("jti", "")), str(token.get(SESSION_CLAIM, ""))]
        if security_cache.get_many([denied_key(token_id) for token_id in ids if token_id]):
            raise InvalidToken(str(_("Token is invalid.")))
        return token

    def get_user(self, validated_token: Token) -> Any:
        """The token's user, read by one fixed statement (USER_ID_FIELD is the primary key).

        A token simplejwt would refuse (no user id, no such user, inactive, password changed since) goes to
        simplejwt's own `get_user`, which refuses it with its own messages.
        """
        try:
            user_id = int(validated_token[api_settings.USER_ID_CLAIM])  # simplejwt writes it as a string
        except (KeyError, TypeError, ValueError):
            return super().get_user(validated_token)
        user = sql.instance(self.user_model, user_id)
        if (
            user is None
            or (api_settings.CHECK_USER_IS_ACTIVE and not user.is_active)
            or (
                api_settings.CHECK_REVOKE_TOKEN
                and validated_token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password)
            )
        ):
            return super().get_user(validated_token)
        return user


def sent_access_token(request: HttpRequest) -> str | None:
    """The access token in the request's Authorization header, if it holds one."""
    authentication = SessionJWTAuthentication()
    header = authentication.get_header(request)  # type: ignore[arg-type]
    try:
        raw = authentication.get_raw_token(header) if header else None
    except AuthenticationFailed:  # a malformed header holds no token to end
        return None
    return raw.decode("latin-1") if raw else None
