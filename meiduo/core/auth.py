"""View authentication helpers: public endpoints (401, not 403, for bad tokens) and the signed-in user."""

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from meiduo.users.models import User


class PublicEndpointAuthentication(BaseAuthentication):
    """For login, refresh and logout: their token is in the body, and a stale header must not block them."""

    def authenticate(self, request: Request) -> None:
        return None

    def authenticate_header(self, request: Request) -> str:
        return 'JWT realm="api"'


def signed_in_user(request: Request) -> User:
    """The shop user of a request that passed IsAuthenticated."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by IsAuthenticated
    return user
