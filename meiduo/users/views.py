"""Account endpoints: uniqueness counts, registration, login/refresh/logout and the current user."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meiduo.carts.services import cart_merge_cookie
from meiduo.carts.stores import cart_cookie_delete, cart_cookie_read
from meiduo.core import ratelimit
from meiduo.core.auth import PublicEndpointAuthentication
from meiduo.core.clientip import client_ip
from meiduo.core.errors import FieldError
from meiduo.users import selectors, services
from meiduo.users.models import User
from meiduo.users.selectors import MOBILE_RE
from meiduo.users.serializers import (
    LoggedInSerializer,
    LoginSerializer,
    MobileCountSerializer,
    RefreshSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    UserDetailSerializer,
    UsernameCountSerializer,
)

COUNT_LOOKUPS_PER_MINUTE = 60


def logged_in_response(request: HttpRequest, user: User) -> Response:
    """The answer of every way of logging in: a new session's tokens and who the user is.

    The anonymous cart cookie is merged into the user's cart and cleared.
    """
    cart_merge_cookie(user=user, lines=cart_cookie_read(request))
    tokens = services.session_tokens_issue(user=user)
    response = Response({**tokens, "user_id": user.id, "username": user.username})
    cart_cookie_delete(response)
    return response


def _limit_lookups(request: Request) -> None:
    """Existence lookups reveal accounts: allow a person's pace, not a scraper's."""
    ratelimit.hit(f"lookup:ip:{client_ip(request)}", limit=COUNT_LOOKUPS_PER_MINUTE, seconds=60)


class UsernameCountView(APIView):
    """GET usernames/{username}/count/: 1 when the username is taken."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(responses=UsernameCountSerializer)
    def get(self, request: Request, username: str) -> Response:
        _limit_lookups(request)
        return Response({"username": username, "count": selectors.username_count(username)})


class MobileCountView(APIView):
    """GET mobiles/{mobile}/count/: 1 when the mobile is registered."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(responses=MobileCountSerializer)
    def get(self, request: Request, mobile: str) -> Response:
        if not MOBILE_RE.match(mobile):
            raise FieldError("mobile", _("Enter a valid mobile number."))
        _limit_lookups(request)
        return Response({"mobile": mobile, "count": selectors.mobile_count(mobile)})


class UserCreateView(APIView):
    """POST users/: register with a verified mobile; the answer logs the new user in."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.user_register(
            username=data["username"], password=data["password"], mobile=data["mobile"], sms_code=data["sms_code"]
        )
        tokens = services.session_tokens_issue(user=user)
        body = {"id": user.id, "username": user.username, "mobile": user.mobile, **tokens}
        return Response(body, status=status.HTTP_201_CREATED)


class AuthorizationView(APIView):
    """POST authorizations/ logs in (username or mobile); DELETE ends the session of a refresh token."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=LoginSerializer, responses=LoggedInSerializer)
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_login(
            request=request,
            account=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
            ip=client_ip(request),
        )
        return logged_in_response(request, user)

    @extend_schema(request=RefreshSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.session_end(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class RefreshView(APIView):
    """POST authorizations/refresh/: a new access token and a rotated refresh token."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=RefreshSerializer, responses=TokenPairSerializer)
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(services.session_refresh(refresh=serializer.validated_data["refresh"]))


class UserDetailView(APIView):
    """GET user/: the signed-in user's profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserDetailSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserDetailSerializer(request.user).data)
