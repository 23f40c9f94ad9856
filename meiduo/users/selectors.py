"""Reads of users: lookup by account (username or mobile), uniqueness counts, browse history, favourites."""

from django.conf import settings

from meiduo.core.validators import MOBILE_RE
from meiduo.goods.models import SKU
from meiduo.users.models import BrowseHistory, Favorite, User


def user_by_account(account: str) -> User | None:
    """The user whose mobile (when the account looks like a mobile) or username is `account`."""
    if "\x00" in account:  # no account has one, and PostgreSQL would refuse the query (a 503, not "not found")
        return None
    field = "mobile" if MOBILE_RE.match(account) else "username"
    return User.objects.filter(**{field: account}).first()


def username_count(username: str) -> int:
    """How many users have this username (0 or 1)."""
    if "\x00" in username:  # see user_by_account
        return 0
    return User.objects.filter(username=username).count()


def mobile_count(mobile: str) -> int:
    """How many users have this mobile (0 or 1)."""
    return User.objects.filter(mobile=mobile).count()


def browse_history_skus(*, user: User) -> list[SKU]:
    """The SKUs the user looked at most recently, newest first, each once (at most BROWSE_HISTORY_LENGTH)."""
    recent = BrowseHistory.objects.filter(user=user).select_related("sku").order_by("-visit_time", "-id")
    return [entry.sku for entry in recent[: settings.BROWSE_HISTORY_LENGTH]]


def favorite_skus(*, user: User) -> list[SKU]:
    """The SKUs the user saved, the most recently saved first."""
    saved = Favorite.objects.filter(user=user).select_related("sku").order_by("-create_time", "-id")
    return [entry.sku for entry in saved]
