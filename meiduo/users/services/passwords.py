"""Passwords: changing one's own (sessions end), and the four-step reset by captcha and SMS code."""

import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError, NotFoundError
from meiduo.core.securitycache import security_cache
from meiduo.users.models import User
from meiduo.users.selectors import user_by_account
from meiduo.users.services.sessions import session_tokens_issue, user_sessions_end_all
from meiduo.users.services.tokens import TOKEN_INVALID, unsign
from meiduo.verifications.services import image_code_check, sms_code_send, sms_code_verify

RESET_SMS_SALT = "meiduo.users.password-reset.sms"
RESET_PASSWORD_SALT = "meiduo.users.password-reset.new-password"  # noqa: S105 - a salt, not a secret
PASSWORD_CHANGES_PER_HOUR = 10
NO_SUCH_ACCOUNT = _("No account with this username or mobile.")


def _password_replace(*, user: User, password: str) -> None:
    """Store the new password and end every session (refresh tokens blacklisted; access tokens carry
    a hash of the old password, which CHECK_REVOKE_TOKEN now rejects)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        user_sessions_end_all(user=user)


def user_password_change(*, user: User, old_password: str, password: str) -> dict[str, str]:
    """Change the password (the current one is required) and end every session; the caller gets a new one."""
    ratelimit.hit(
        f"password:change:{user.pk}",
        limit=PASSWORD_CHANGES_PER_HOUR,
        seconds=3600,
        message=_("Too many attempts, please try again later."),
    )
    if not user.check_password(old_password):
        raise FieldError("old_password", _("The current password is wrong."))
    _password_replace(user=user, password=password)
    return session_tokens_issue(user=user)


def mobile_masked(mobile: str) -> str:
    """138****0000: enough for the owner to recognise the number, not enough to learn it."""
    return f"{mobile[:3]}****{mobile[-4:]}"


def _account_with_mobile(account: str) -> User:
    """The active user of a username or mobile who has a mobile to receive codes; 404 otherwise."""
    user = user_by_account(account)
    if user is None or not user.mobile or not user.is_active:
        raise NotFoundError(NO_SUCH_ACCOUNT)
    return user


def password_reset_start(*, account: str, image_code_id: str, text: str) -> dict[str, str]:
    """Step 1: the captcha passes → the masked mobile and a token that may only ask for an SMS code."""
    image_code_check(uuid=image_code_id, text=text)
    user = _account_with_mobile(account)
    token = signing.dumps({"user_id": user.pk, "mobile": user.mobile}, salt=RESET_SMS_SALT)
    return {"mobile": mobile_masked(str(user.mobile)), "access_token": token}


def password_reset_sms_send(*, access_token: str, ip: str) -> None:
    """Step 2: send an SMS code to the mobile named by a step-1 token (the registration limits apply)."""
    data = unsign(access_token, salt=RESET_SMS_SALT, max_age=settings.PASSWORD_RESET_STEP_TTL, field="access_token")
    user = User.objects.filter(pk=data["user_id"], mobile=data["mobile"], is_active=True).first()
    if user is None or not user.mobile:
        raise FieldError("access_token", TOKEN_INVALID)
    sms_code_send(mobile=user.mobile, ip=ip)


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a reset token dies once it has been used."""
    return salted_hmac(RESET_PASSWORD_SALT, user.password, algorithm="sha256").hexdigest()[:32]


def password_reset_sms_check(*, account: str, sms_code: str) -> dict[str, Any]:
    """Step 3: the SMS code is right → a token that may only set a new password, once."""
    user = _account_with_mobile(account)
    sms_code_verify(mobile=str(user.mobile), code=sms_code)
    payload = {"user_id": user.pk, "fingerprint": _password_fingerprint(user), "nonce": secrets.token_hex(8)}
    return {"user_id": user.pk, "access_token": signing.dumps(payload, salt=RESET_PASSWORD_SALT)}


def password_reset_finish(*, user_id: int, access_token: str, password: str) -> None:
    """Step 4: set the new password with a step-3 token for this user; every session ends."""
    ttl = settings.PASSWORD_RESET_STEP_TTL
    data = unsign(access_token, salt=RESET_PASSWORD_SALT, max_age=ttl, field="access_token")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or data.get("user_id") != user.pk:
        raise FieldError("access_token", TOKEN_INVALID)
    if not hmac.compare_digest(str(data.get("fingerprint")), _password_fingerprint(user)):
        raise FieldError("access_token", _("This token has already been used."))
    if not security_cache.add(f"password-reset:used:{data.get('nonce')}", 1, ttl):  # concurrent uses: one wins
        raise FieldError("access_token", _("This token has already been used."))
    _password_replace(user=user, password=password)
