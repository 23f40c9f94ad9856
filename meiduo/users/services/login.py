"""Password login by username or mobile, with its failure limits: per client, per account (captcha), per pair;
an account registered by e-mail and not activated yet says so, to the one who knows its password."""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError, ServiceError
from meiduo.users.models import User
from meiduo.users.selectors import user_by_account
from meiduo.verifications.services import image_code_check

logger = logging.getLogger("meiduo.users")

LOGIN_FAILED = _("Wrong username or password.")
LOGIN_LOCKED = _("Too many failed logins, please try again later.")
CAPTCHA_REQUIRED = _("Enter the characters in the picture.")


class AccountNotActivated(ServiceError):
    """The right password of an account registered by e-mail whose activation link was not opened yet."""

    code = "not_activated"
    default_message = _(
        "This account is not activated yet: open the link in the activation mail, or have it sent again."
    )


def _login_account_key(account: str, user: User | None) -> str:
    """What the failures are counted under: the user when the account exists, so that guessing by
    username and by mobile draws on one allowance; otherwise the name as typed (case-insensitive)."""
    return f"user:{user.pk}" if user is not None else account.lower()


def _login_attempt_counted(*, key: str, ip: str, captcha: tuple[str, str] | None) -> None:
    """Count this attempt before checking the password, so concurrent guesses cannot slip past the limits.

    Per client: refused (429) past LOGIN_FAILURES_PER_IP failures in the window.
    Per account: from the (LOGIN_FAILURES_BEFORE_CAPTCHA + 1)-th attempt on, a
    fresh image captcha is required (400 `captcha_required`): guessing needs a
    person, but the owner, who can read a captcha, is never locked out. Per
    account and client: from the LOGIN_FAILURES_BEFORE_DELAY-th attempt on,
    one attempt per growing delay (1 s, 2 s, 4 s … up to a minute), which slows
    that client only. An attempt refused for its captcha checked no password
    and is not counted against the account. A successful login clears the
    account's counts and takes its own attempt back from the client's.
    """
    window = settings.LOGIN_FAILURE_WINDOW
    ratelimit.hit(f"login:ip:{ip}", limit=settings.LOGIN_FAILURES_PER_IP, seconds=window, message=LOGIN_LOCKED)
    attempts = ratelimit.hit(f"login:account:{key}", limit=None, seconds=window)
    if attempts > settings.LOGIN_FAILURES_BEFORE_CAPTCHA:
        try:
            if captcha is None:
                raise FieldError("text", CAPTCHA_REQUIRED, code="captcha_required")
            image_code_check(uuid=captcha[0], text=captcha[1])
        except FieldError:
            ratelimit.undo(f"login:account:{key}", seconds=window)
            raise
    extra = ratelimit.hit(f"login:pair:{key}:{ip}", limit=None, seconds=window) - settings.LOGIN_FAILURES_BEFORE_DELAY
    if extra > 0:
        ratelimit.claim(f"login:delay:{key}:{ip}", min(60, 2 ** (extra - 1)), LOGIN_LOCKED)


def user_login(
    *, request: HttpRequest | None, account: str, password: str, ip: str, captcha: tuple[str, str] | None = None
) -> User:
    """The user for a username or mobile and password; one answer for every failure.

    `captcha` is (image_code_id, text) of an image captcha, needed after repeated failures. An account waiting
    for its activation link answers AccountNotActivated to the right password and the usual failure otherwise.
    """
    known = user_by_account(account)
    key = _login_account_key(account, known)
    _login_attempt_counted(key=key, ip=ip, captcha=captcha)
    if known is not None and known.activation_pending and not known.is_active:  # one password hash, as any attempt
        if known.check_password(password):
            raise AccountNotActivated()
        logger.info("failed login for account %r from %s", account, ip)
        raise ServiceError(LOGIN_FAILED)
    user = authenticate(request, username=account, password=password)
    if user is None:
        logger.info("failed login for account %r from %s", account, ip)
        raise ServiceError(LOGIN_FAILED)
    window = settings.LOGIN_FAILURE_WINDOW
    ratelimit.reset(f"login:account:{key}", seconds=window)
    ratelimit.reset(f"login:pair:{key}:{ip}", seconds=window)
    ratelimit.release(f"login:delay:{key}:{ip}")
    ratelimit.undo(f"login:ip:{ip}", seconds=window)
    assert isinstance(user, User)  # noqa: S101 - the only backend returns shop users
    return user
