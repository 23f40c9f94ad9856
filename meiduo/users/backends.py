"""Authentication backend: a user signs in with either the username or the mobile number."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from meiduo.users.models import User
from meiduo.users.selectors import user_by_account


class UsernameOrMobileBackend(ModelBackend):
    """Look the account up by mobile when it looks like one, else by username."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or password is None:
            return None
        user = user_by_account(username)
        if user is None:
            # Same cost as a real check, so timing does not reveal which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
