"""Third-party login endpoints: the provider's login URL, the code coming back, and binding."""

from typing import TYPE_CHECKING

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.core import ratelimit
from meiduo.core.clientip import client_ip
from meiduo.core.errors import ServiceError
from meiduo.oauth import selectors, services, tokens
from meiduo.oauth.serializers import (
    OAuthAuthorizationQuerySerializer,
    OAuthBindSerializer,
    OAuthCallbackQuerySerializer,
    OAuthLoggedInSerializer,
    OAuthLoginURLSerializer,
    OAuthUserAnswerSerializer,
)
from meiduo.users.views import logged_in_response

if TYPE_CHECKING:
    from meiduo.oauth.providers import Provider


def _provider(name: str) -> "Provider":
    """The named provider (meiduo.oauth.providers), imported with the first OAuth request: social-auth-core loads
    requests, oauthlib, python-openid and cryptography, about 9 MB that a web process serving no OAuth login
    never needs (docs/performance.md, "Memory")."""
    from meiduo.oauth.providers import provider_get

    return provider_get(name)


PROVIDER_PARAMETER = OpenApiParameter("provider", str, OpenApiParameter.PATH, enum=["qq", "sina", "weixin"])


def _with_next(response: Response, next_path: str) -> Response:
    """The login answer plus where the storefront should go back to."""
    response.data["next"] = next_path
    return response


class AuthorizationView(APIView):
    """GET oauth/{provider}/authorization/: the provider's login page, with a state bound to this browser."""

    authentication_classes: list[type] = []

    @extend_schema(
        parameters=[PROVIDER_PARAMETER, OAuthAuthorizationQuerySerializer], responses=OAuthLoginURLSerializer
    )
    def get(self, request: Request, provider: str) -> Response:
        chosen = _provider(provider)
        query = OAuthAuthorizationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        next_path = query.validated_data["next"]
        state, cookie = tokens.state_issue(provider=chosen.name, next_path=next_path)
        response = Response({"login_url": chosen.login_url(state=state), "next": next_path})
        response.set_cookie(
            tokens.STATE_COOKIE,
            cookie,
            max_age=tokens.STATE_TTL,
            path=tokens.STATE_COOKIE_PATH,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response


class OAuthUserView(APIView):
    """GET oauth/{provider}/user/ logs in with the returned code; POST binds the provider account and logs in."""

    authentication_classes: list[type] = []

    @extend_schema(parameters=[PROVIDER_PARAMETER, OAuthCallbackQuerySerializer], responses=OAuthUserAnswerSerializer)
    def get(self, request: Request, provider: str) -> Response:
        chosen = _provider(provider)
        query = OAuthCallbackQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        next_path = tokens.state_check(
            provider=chosen.name, cookie=request.COOKIES.get(tokens.STATE_COOKIE), state=query.validated_data["state"]
        )
        openid = chosen.account_id_for_code(code=query.validated_data["code"])
        account = selectors.oauth_account_get(provider=chosen.name, openid=openid)
        if account is None:
            token = tokens.bind_token_issue(provider=chosen.name, openid=openid, next_path=next_path)
            response = Response({"access_token": token, "next": next_path})
        elif not account.user.is_active:
            raise ServiceError(services.ACCOUNT_DISABLED)
        else:
            response = _with_next(logged_in_response(request, account.user), next_path)
        response.delete_cookie(tokens.STATE_COOKIE, path=tokens.STATE_COOKIE_PATH, samesite="Lax")
        return response

    @extend_schema(parameters=[PROVIDER_PARAMETER], request=OAuthBindSerializer, responses=OAuthLoggedInSerializer)
    def post(self, request: Request, provider: str) -> Response:
        chosen = _provider(provider)
        # Binding answers differently for a registered mobile (its password) than for a new one.
        ratelimit.account_lookup(client_ip(request))
        serializer = OAuthBindSerializer(data=request.data, context={"provider": chosen.name})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        openid, next_path = data["access_token"]
        user = services.oauth_account_bind(
            provider=chosen.name,
            openid=openid,
            mobile=data["mobile"],
            password=data["password"],
            sms_code=data["sms_code"],
        )
        return _with_next(logged_in_response(request, user), next_path)
