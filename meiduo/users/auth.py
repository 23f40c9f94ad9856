"""The signed-in shop user of an API request."""

from rest_framework.request import Request

from meiduo.users.models import User


def signed_in_user(request: Request) -> User:
    """The shop user of a request that passed IsAuthenticated."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by IsAuthenticated
    return user
