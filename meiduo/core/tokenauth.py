"""JWT authentication that honours logout: access tokens of an ended session are refused at once.

Every access token carries `sid`, the id (jti) of the refresh token it was
issued with. Logging out puts that id, and the jti of the access token sent
with the logout, on a deny-list in the security cache until the longest an
access token can live; this class refuses a token whose jti or sid is on it
(one cache read per authenticated request, no database query).
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import Token

from meiduo.core.securitycache import security_cache

SESSION_CLAIM = "sid"


def denied_key(token_id: str) -> str:
    """The deny-list entry of a token id (an access token's jti or a session's sid)."""
    return f"jwt:denied:{token_id}"


class SessionJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, refusing tokens of sessions that were logged out."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = super().get_validated_token(raw_token)
        ids = [str(token.get("jti", "")), str(token.get(SESSION_CLAIM, ""))]
        if security_cache.get_many([denied_key(token_id) for token_id in ids if token_id]):
            raise InvalidToken(str(_("Token is invalid.")))
        return token


def sent_access_token(request: HttpRequest) -> str | None:
    """The access token in the request's Authorization header, if it holds one."""
    authentication = SessionJWTAuthentication()
    header = authentication.get_header(request)  # type: ignore[arg-type]
    try:
        raw = authentication.get_raw_token(header) if header else None
    except AuthenticationFailed:  # a malformed header holds no token to end
        return None
    return raw.decode("latin-1") if raw else None
