"""The mainland-China mobile number rule, the one place every app checks a mobile with."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 11 ASCII digits starting 13–19 ([0-9], not \d, which would also accept full-width and other digits).
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}\Z")


def validate_mobile(value: str) -> None:
    """A mainland China mobile number: 11 digits starting 13–19."""
    if not MOBILE_RE.match(value):
        raise ValidationError(_("Enter a valid mobile number."))
