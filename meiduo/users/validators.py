"""Field validators shared by the account endpoints (mobile, username)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meiduo.users.selectors import MOBILE_RE

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{5,20}$")


def validate_mobile(value: str) -> None:
    """A mainland China mobile number: 11 digits starting 13–19."""
    if not MOBILE_RE.match(value):
        raise ValidationError(_("Enter a valid mobile number."))


def validate_username(value: str) -> None:
    """5–20 letters, digits or underscores, not all digits (so it cannot be mistaken for a mobile)."""
    if not USERNAME_RE.match(value):
        raise ValidationError(_("Use 5 to 20 letters, digits or underscores."))
    if value.isdigit():
        raise ValidationError(_("A username cannot be all digits."))
