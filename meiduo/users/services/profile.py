"""The shopper's profile: how the shop addresses them (nickname, real name, birthday, gender)."""

from datetime import date

from meiduo.users.models import User


def user_profile_update(
    *,
    user: User,
    nickname: str | None = None,
    real_name: str | None = None,
    birthday: date | None = None,
    gender: int | None = None,
    clear_birthday: bool = False,
) -> User:
    """Change the fields given (None: left as it is); `clear_birthday` forgets the birthday."""
    given: dict[str, str | date | int | None] = {
        "nickname": nickname,
        "real_name": real_name,
        "birthday": birthday,
        "gender": gender,
    }
    changed: dict[str, str | date | int | None] = {name: value for name, value in given.items() if value is not None}
    if clear_birthday:
        changed["birthday"] = None
    for name, value in changed.items():
        setattr(user, name, value)
    if changed:
        user.save(update_fields=list(changed))
    return user
