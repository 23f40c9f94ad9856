"""Binding writes: bind a provider account to a new or existing user, proven by an SMS code."""

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import FieldError, ServiceError
from meiduo.oauth.models import OAuthAccount
from meiduo.users.models import User
from meiduo.users.selectors import user_by_account
from meiduo.users.services.registration import user_register
from meiduo.verifications.services import sms_code_verify

ALREADY_BOUND = _("This third-party account is already bound to a shop account, please log in with it again.")
WRONG_PASSWORD = _("Wrong password for this mobile.")
ACCOUNT_DISABLED = _("This account is disabled.")


def username_for_mobile(mobile: str) -> str:
    """A free username for a new account made at binding: `m<mobile>`, with a random suffix if that is taken."""
    candidate = f"m{mobile}"
    while User.objects.filter(username=candidate).exists():
        candidate = f"m{mobile}_{secrets.token_hex(2)}"
    return candidate


def oauth_account_bind(*, provider: str, openid: str, mobile: str, password: str, sms_code: str) -> User:
    """Bind the provider account to the mobile's user, creating the user when the mobile is new.

    The SMS code proves the mobile; an existing user must also give the right
    password (checked only after the code, so it cannot be guessed without
    one). Nothing is written unless every check passes; a provider account
    bound meanwhile by a concurrent request is a 400.
    """
    if OAuthAccount.objects.filter(provider=provider, openid=openid).exists():
        raise ServiceError(ALREADY_BOUND)
    try:
        with transaction.atomic():
            user = user_by_account(mobile)
            if user is None:
                user = user_register(
                    username=username_for_mobile(mobile), password=password, mobile=mobile, sms_code=sms_code
                )
            else:
                sms_code_verify(mobile=mobile, code=sms_code)
                if not user.check_password(password):
                    raise FieldError("password", WRONG_PASSWORD)
                if not user.is_active:
                    raise ServiceError(ACCOUNT_DISABLED)
            OAuthAccount.objects.create(provider=provider, openid=openid, user=user)
    except IntegrityError as exc:  # the same provider account was bound by a concurrent request
        raise ServiceError(ALREADY_BOUND) from exc
    return user
