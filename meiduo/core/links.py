"""Links operators type (home page content, channels): only http(s) URLs and site-relative paths.

Anything else (`javascript:`, `data:`, `vbscript:`, protocol-relative `//host`, backslash tricks, control
characters browsers strip) could run script in a shopper's session or send them off-site, so it is refused
on save (`validate_safe_link`, a model field validator the admin and `full_clean` run) and never rendered
(`safe_link` blanks a stored one, e.g. a row saved before the check existed).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

_SITE_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")
_HTTP_URL = URLValidator(schemes=["http", "https"])


def is_safe_link(value: str) -> bool:
    """True for a site-relative path (`/list/115`) or an absolute http(s) URL, exactly as given."""
    if _SITE_PATH.match(value):
        return True
    if not re.match(r"^https?://", value, re.IGNORECASE):
        return False
    try:
        _HTTP_URL(value)
    except ValidationError:
        return False
    return True


def validate_safe_link(value: str) -> None:
    """Model field validator: refuse any link that is not http(s) or a site-relative path."""
    if not is_safe_link(value):
        raise ValidationError(
            _("Enter a link starting with / (a page of this shop) or with http:// or https://."), code="unsafe_link"
        )


def safe_link(value: str) -> str:
    """The link, or "" when it is not safe to render."""
    return value if is_safe_link(value) else ""
