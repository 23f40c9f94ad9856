"""Registration of a shopper whose mobile an SMS code proves."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import FieldError
from meiduo.users.models import User
from meiduo.verifications.services import sms_code_verify


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
