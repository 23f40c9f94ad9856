"""The shopper's profile: how the shop addresses them (nickname, real name, birthday, gender)."""

from collections.abc import Mapping
from datetime import date

from meiduo.users.models import User

PROFILE_FIELDS = frozenset({"nickname", "real_name", "birthday", "gender"})


def user_profile_update(*, user: User, changes: Mapping[str, str | date | int | None]) -> User:
    """Set the profile fields present in `changes` (a birthday of None forgets it); the others stay as they are."""
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(user, name, value)
    if changes:
        user.save(update_fields=list(changes))
    return user
