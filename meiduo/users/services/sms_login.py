"""Login by SMS code: a code of the login purpose to the account's mobile, then the mobile and code sign in.

Neither step tells whether a mobile has an account: a code asked for an unknown (or disabled) mobile counts
against the same sending limits and answers the same, but none is sent (`sms_code_withhold`); a login with an
unknown mobile is refused with the wrong-code answer, after counting a try like any other.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError
from meiduo.users.models import User
from meiduo.users.services.login import LOGIN_LOCKED
from meiduo.verifications.services import (
    SmsPurpose,
    SmsTriesExhausted,
    sms_code_send,
    sms_code_verify,
    sms_code_withhold,
)

logger = logging.getLogger("meiduo.users")

SMS_LOGIN_FAILED = _("Wrong mobile or SMS code, or the code has expired.")


def _active_user_of_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile=mobile, is_active=True).first()


def sms_login_code_send(*, mobile: str, ip: str) -> None:
    """Send a login code to the mobile of an active account; for any other mobile count the send, send nothing."""
    if _active_user_of_mobile(mobile) is None:
        sms_code_withhold(mobile=mobile, ip=ip)
        logger.info("login code asked for %s, which has no active account: none sent", mobile)
        return
    sms_code_send(mobile=mobile, ip=ip, purpose=SmsPurpose.LOGIN)


def user_login_sms(*, mobile: str, sms_code: str, ip: str) -> User:
    """The active user of this mobile, proven by its login code; one answer for every failure but a burned code.

    Failures count against the client like password logins (LOGIN_FAILURES_PER_IP, 429 beyond); the code's own
    SMS_CODE_MAX_TRIES tries are counted for every mobile, with an account or not.
    """
    window = settings.LOGIN_FAILURE_WINDOW
    ratelimit.hit(f"login:ip:{ip}", limit=settings.LOGIN_FAILURES_PER_IP, seconds=window, message=LOGIN_LOCKED)
    try:
        sms_code_verify(mobile=mobile, code=sms_code, purpose=SmsPurpose.LOGIN)
    except SmsTriesExhausted:
        raise
    except FieldError as exc:  # expired, never sent, wrong, used: one answer, which says nothing of the account
        raise FieldError("sms_code", SMS_LOGIN_FAILED) from exc
    user = _active_user_of_mobile(mobile)
    if user is None:  # disabled (or deleted) since the code was sent
        raise FieldError("sms_code", SMS_LOGIN_FAILED)
    ratelimit.undo(f"login:ip:{ip}", seconds=window)
    return user
