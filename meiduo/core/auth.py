"""View authentication helper: public endpoints (401, not 403, for bad tokens)."""

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request


class PublicEndpointAuthentication(BaseAuthentication):
    """For login, refresh and logout: their token is in the body, and a stale header must not block them."""

    def authenticate(self, request: Request) -> None:
        return None

    def authenticate_header(self, request: Request) -> str:
        return 'JWT realm="api"'
