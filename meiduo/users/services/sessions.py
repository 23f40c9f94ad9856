"""JWT sessions: issuing, rotating and ending refresh/access token pairs, and ending all of a user's."""

from datetime import UTC, datetime

from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from meiduo.core.tokenauth import SESSION_CLAIM, tokens_deny
from meiduo.users.models import User


def session_tokens_issue(*, user: User) -> dict[str, str]:
    """Start a session: a new refresh token (recorded, so it can be revoked) and its access token.

    The access token names the refresh token it belongs to (`sid`), so that logging out ends it too.
    """
    refresh = RefreshToken.for_user(user)
    access = refresh.access_token
    access[SESSION_CLAIM] = refresh["jti"]
    update_last_login(User, user)
    return {"token": str(access), "refresh": str(refresh)}


def _password_unchanged(token: RefreshToken, user: User) -> bool:
    """False when the password changed after the token was issued (the token carries a hash of it)."""
    if not jwt_settings.CHECK_REVOKE_TOKEN:
        return True
    return bool(token.get(jwt_settings.REVOKE_TOKEN_CLAIM) == get_md5_hash_password(user.password))


def session_refresh(*, refresh: str) -> dict[str, str]:
    """Rotate a refresh token: the old one is blacklisted atomically, so it works exactly once."""
    try:
        old = RefreshToken(refresh)  # type: ignore[arg-type]  # checks signature, expiry, blacklist
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    outstanding = OutstandingToken.objects.filter(jti=old["jti"]).first()
    user = User.objects.filter(id=old.get("user_id"), is_active=True).first()
    if outstanding is None or user is None or not _password_unchanged(old, user):
        raise InvalidToken(str(_("Token is invalid.")))
    _token, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    if not created:  # a concurrent refresh with the same token got there first
        raise InvalidToken(str(_("Token is blacklisted.")))
    return session_tokens_issue(user=user)


@transaction.atomic
def session_end(*, refresh: str, access: str | None) -> None:
    """Log out: the refresh token stops working, and so at once do the access tokens issued with it and
    the access token sent with the request (`access`, if valid): their ids go on the deny-list of
    meiduo.core.tokenauth until every access token that may carry them has expired. All or nothing: a logout
    that fails half-way leaves the refresh token working, so that logging out again ends the session."""
    try:
        token = RefreshToken(refresh)  # type: ignore[arg-type]  # simplejwt types the str as Token
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    token.blacklist()
    denied = {str(token["jti"]): timezone.now() + jwt_settings.ACCESS_TOKEN_LIFETIME}
    if access:
        try:
            sent = AccessToken(access)  # type: ignore[arg-type]
        except TokenError:
            sent = None  # an expired or foreign access token needs no ending
        if sent is not None:
            denied[str(sent["jti"])] = datetime.fromtimestamp(int(sent["exp"]), tz=UTC)
    tokens_deny(denied)


def user_sessions_end_all(*, user: User) -> int:
    """Blacklist every refresh token of the user that can still be used; return how many were ended."""
    live = OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(created)
