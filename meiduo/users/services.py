"""Account writes: registration, login with its failure limits, JWT sessions (issue, refresh, end)."""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError, ServiceError
from meiduo.users.models import User
from meiduo.verifications.services import sms_code_verify

logger = logging.getLogger("meiduo.users")

LOGIN_FAILED = _("Wrong username or password.")
LOGIN_LOCKED = _("Too many failed logins, please try again later.")


def session_tokens_issue(*, user: User) -> dict[str, str]:
    """Start a session: a new refresh token (recorded, so it can be revoked) and its access token."""
    refresh = RefreshToken.for_user(user)
    update_last_login(User, user)
    return {"token": str(refresh.access_token), "refresh": str(refresh)}


def user_register(*, username: str, password: str, mobile: str, sms_code: str) -> User:
    """Create a shopper after the SMS code proves the mobile; a taken username or mobile is a 400."""
    if User.objects.filter(username=username).exists():
        raise FieldError("username", _("This username is taken."))
    if User.objects.filter(mobile=mobile).exists():
        raise FieldError("mobile", _("This mobile is already registered."))
    sms_code_verify(mobile=mobile, code=sms_code)
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, mobile=mobile)
    except IntegrityError as exc:  # a concurrent registration won the race for the username or mobile
        field = "mobile" if User.objects.filter(mobile=mobile).exists() else "username"
        message = _("This mobile is already registered.") if field == "mobile" else _("This username is taken.")
        raise FieldError(field, message) from exc


def _login_attempt_counted(*, account: str, ip: str) -> None:
    """Count this attempt before checking the password, so concurrent guesses cannot slip past the limit.

    Per account: from the LOGIN_FAILURES_BEFORE_DELAY-th attempt on, one attempt
    per growing delay (1 s, 2 s, 4 s … up to a minute); past
    LOGIN_FAILURES_BEFORE_LOCK, refused until the window ends. Per IP: refused
    past LOGIN_FAILURES_PER_IP failures. A successful login clears the account's count
    and takes its own attempt back from the IP's.
    """
    window = settings.LOGIN_FAILURE_WINDOW
    ratelimit.hit(f"login:ip:{ip}", limit=settings.LOGIN_FAILURES_PER_IP, seconds=window, message=LOGIN_LOCKED)
    attempts = ratelimit.hit(
        f"login:account:{account.lower()}",
        limit=settings.LOGIN_FAILURES_BEFORE_LOCK,
        seconds=window,
        message=LOGIN_LOCKED,
    )
    extra = attempts - settings.LOGIN_FAILURES_BEFORE_DELAY
    if extra > 0:
        ratelimit.claim(f"login:delay:{account.lower()}", min(60, 2 ** (extra - 1)), LOGIN_LOCKED)


def user_login(*, request: HttpRequest | None, account: str, password: str, ip: str) -> User:
    """The user for a username or mobile and password; one answer for every failure."""
    _login_attempt_counted(account=account, ip=ip)
    user = authenticate(request, username=account, password=password)
    if user is None:
        logger.info("failed login for account %r from %s", account, ip)
        raise ServiceError(LOGIN_FAILED)
    ratelimit.reset(f"login:account:{account.lower()}", seconds=settings.LOGIN_FAILURE_WINDOW)
    ratelimit.release(f"login:delay:{account.lower()}")
    ratelimit.undo(f"login:ip:{ip}", seconds=settings.LOGIN_FAILURE_WINDOW)
    assert isinstance(user, User)  # noqa: S101 - the only backend returns shop users
    return user


def session_refresh(*, refresh: str) -> dict[str, str]:
    """Rotate a refresh token: the old one is blacklisted atomically, so it works exactly once."""
    try:
        old = RefreshToken(refresh)  # type: ignore[arg-type]  # checks signature, expiry, blacklist
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    outstanding = OutstandingToken.objects.filter(jti=old["jti"]).first()
    user = User.objects.filter(id=old.get("user_id"), is_active=True).first()
    if outstanding is None or user is None:
        raise InvalidToken(str(_("Token is invalid.")))
    _token, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    if not created:  # a concurrent refresh with the same token got there first
        raise InvalidToken(str(_("Token is blacklisted.")))
    return session_tokens_issue(user=user)


def session_end(*, refresh: str) -> None:
    """Log out: the refresh token stops working (its short-lived access token simply expires)."""
    try:
        token = RefreshToken(refresh)  # type: ignore[arg-type]  # simplejwt types the str as Token
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    token.blacklist()
