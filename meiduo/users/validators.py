"""Field validators of the account endpoints (username; the mobile rule is meiduo.core.validators')."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{5,20}$")


def validate_username(value: str) -> None:
    """5–20 letters, digits or underscores, not all digits (so it cannot be mistaken for a mobile)."""
    if not USERNAME_RE.match(value):
        raise ValidationError(_("Use 5 to 20 letters, digits or underscores."))
    if value.isdigit():
        raise ValidationError(_("A username cannot be all digits."))
