"""JWT authentication that honours logout: access tokens of an ended session are refused at once.

Every access token carries `sid`, the id (jti) of the refresh token it was
issued with. Logging out puts that id, and the jti of the access token sent
with the logout, on a deny-list (the `tb_denied_token` table, `tokens_deny`)
until the longest an access token can live; this class refuses a token whose
jti or sid is on it.

A token's signature, claims and type are checked once per token string in a process (the 1,024 most recently
sent are remembered; PyJWT's decoding was a tenth of a cart add); its expiry is checked on every request, and an
expired one goes through simplejwt again for simplejwt's own refusal.

The user and the deny-list are then read with one fixed statement (meiduo.core.sql.instance_with: the user's
row, and whether the token's ids are denied) on the primary database, instead of simplejwt's queryset (which
cost more to build than the read itself) and a cache read (two shards of the embedded cache, a round trip to
Redis in production). A token of a missing or inactive user, or one issued before the password changed, is
refused by simplejwt's own check.
"""

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow, get_md5_hash_password

from meiduo.core import sql
from meiduo.core.models import DeniedToken

SESSION_CLAIM = "sid"
# Whether a token's jti or sid is on the deny-list, read in the statement that reads its user.
_DENIED = f'EXISTS (SELECT 1 FROM "{DeniedToken._meta.db_table}" WHERE "token_id" IN (%s, %s))'  # noqa: S608 - our own table


def tokens_deny(expiries: dict[str, datetime]) -> None:
    """Refuse these token ids (jti or sid) until their times; entries whose tokens have all expired go."""
    DeniedToken.objects.filter(expires_at__lte=timezone.now()).delete()
    DeniedToken.objects.bulk_create(
        [DeniedToken(token_id=token_id, expires_at=until) for token_id, until in expiries.items()],
        ignore_conflicts=True,  # already denied: as long, since an id's tokens expire when they expire
    )


@lru_cache(maxsize=1024)
def _checked(raw_token: bytes) -> Token:
    """simplejwt's checks of a token (signature, claims, type), made once per token string."""
    return JWTAuthentication().get_validated_token(raw_token)


@lru_cache(maxsize=1024)
def _password_mark(password: str) -> str:
    """What a token carries of its user's password hash (simplejwt's), remembered per hash."""
    return get_md5_hash_password(password)


class SessionJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, refusing tokens of sessions that were logged out."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = _checked(raw_token)
        try:
            token.check_exp(current_time=aware_utcnow())
        except TokenError:  # expired since it was checked: simplejwt refuses it in its own words
            token = super().get_validated_token(raw_token)
        return token

    def get_user(self, validated_token: Token) -> Any:
        """The token's user, read with whether the token is denied by one fixed statement (USER_ID_FIELD is the
        primary key); a denied token is refused.

        A token simplejwt would refuse (no user id, no such user, inactive, password changed since) goes to
        simplejwt's own `get_user`, which refuses it with its own messages.
        """
        try:
            user_id = int(validated_token[api_settings.USER_ID_CLAIM])  # simplejwt writes it as a string
        except (KeyError, TypeError, ValueError):
            return super().get_user(validated_token)
        ids = [str(validated_token.get("jti", "")), str(validated_token.get(SESSION_CLAIM, ""))]
        user, denied = sql.instance_with(self.user_model, user_id, _DENIED, ids)
        if denied:
            raise InvalidToken(str(_("Token is invalid.")))
        if (
            user is None
            or (api_settings.CHECK_USER_IS_ACTIVE and not user.is_active)
            or (
                api_settings.CHECK_REVOKE_TOKEN
                and validated_token.get(api_settings.REVOKE_TOKEN_CLAIM) != _password_mark(user.password)
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
