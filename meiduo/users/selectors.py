"""Reads of users: lookup by account (username or mobile) and the uniqueness counts."""

import re

from meiduo.users.models import User

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def user_by_account(account: str) -> User | None:
    """The user whose mobile (when the account looks like a mobile) or username is `account`."""
    field = "mobile" if MOBILE_RE.match(account) else "username"
    return User.objects.filter(**{field: account}).first()


def username_count(username: str) -> int:
    """How many users have this username (0 or 1)."""
    return User.objects.filter(username=username).count()


def mobile_count(mobile: str) -> int:
    """How many users have this mobile (0 or 1)."""
    return User.objects.filter(mobile=mobile).count()
