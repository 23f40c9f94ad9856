"""Account endpoints: counts, registration, login/refresh/logout, the current user and the user center."""

from typing import Any

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
from meiduo.core.errors import FieldError, NotFoundError
from meiduo.core.serializers import MessageSerializer
from meiduo.core.tokenauth import sent_access_token
from meiduo.core.validators import MOBILE_RE
from meiduo.goods.serializers import SKUCardSerializer
from meiduo.users import selectors
from meiduo.users.auth import signed_in_user
from meiduo.users.models import User
from meiduo.users.serializers import (
    AccessTokenSerializer,
    ActivatedSerializer,
    ActivationResendSerializer,
    ActivationSerializer,
    CaptchaSerializer,
    EmailRegisteredSerializer,
    EmailRegisterSerializer,
    EmailSerializer,
    EmailVerificationSerializer,
    LoggedInSerializer,
    LoginSerializer,
    MobileCountSerializer,
    PasswordChangedSerializer,
    PasswordChangeSerializer,
    PasswordResetSerializer,
    PasswordResetSmsTokenSerializer,
    PasswordResetTokenSerializer,
    ProfileSerializer,
    RefreshSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    SkuIdSerializer,
    SmsCodeSerializer,
    SmsLoginSerializer,
    TokenPairSerializer,
    UserDetailSerializer,
    UsernameCountSerializer,
)
from meiduo.users.services.activation import activation_mail_resend, user_activate, user_register_by_email
from meiduo.users.services.browsing import browse_history_add, favorite_add, favorite_remove
from meiduo.users.services.email import user_email_set, user_email_verify
from meiduo.users.services.login import user_login
from meiduo.users.services.passwords import (
    password_reset_finish,
    password_reset_sms_check,
    password_reset_sms_send,
    password_reset_start,
    user_password_change,
)
from meiduo.users.services.profile import user_profile_update
from meiduo.users.services.registration import user_register
from meiduo.users.services.sessions import session_end, session_refresh, session_tokens_issue
from meiduo.users.services.sms_login import sms_login_code_send, user_login_sms
from meiduo.verifications.serializers import SmsCodeRequestSerializer
from meiduo.verifications.services import image_code_check


def logged_in_response(
    request: HttpRequest, user: User, *, body: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """The answer of every way of signing in (registration too): a new session's tokens and who the user is.

    `body` replaces the default `{"user_id", "username"}` part. The anonymous cart cookie is merged into the
    user's cart and cleared, so what a visitor put in the cart is there after signing in or registering.
    """
    cart_merge_cookie(user=user, lines=cart_cookie_read(request))
    tokens = session_tokens_issue(user=user)
    identity = body if body is not None else {"user_id": user.id, "username": user.username}
    response = Response({**identity, **tokens}, status=status_code)
    cart_cookie_delete(response)
    return response


def _limit_lookups(request: Request) -> None:
    """Existence lookups reveal accounts: allow a person's pace, not a scraper's."""
    ratelimit.account_lookup(client_ip(request))


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
        _limit_lookups(request)  # "username taken" / "mobile registered" come before the SMS code is checked
        data = serializer.validated_data
        user = user_register(
            username=data["username"], password=data["password"], mobile=data["mobile"], sms_code=data["sms_code"]
        )
        identity = {"id": user.id, "username": user.username, "mobile": user.mobile}
        return logged_in_response(request, user, body=identity, status_code=status.HTTP_201_CREATED)


class EmailRegisterView(APIView):
    """POST registrations/email/: an inactive account and its activation link mailed to the address."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=EmailRegisterSerializer, responses={201: EmailRegisteredSerializer})
    def post(self, request: Request) -> Response:
        serializer = EmailRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _limit_lookups(request)  # "username taken" / "e-mail used" reveal accounts
        data = serializer.validated_data
        user = user_register_by_email(
            username=data["username"], email=data["email"], password=data["password"], ip=client_ip(request)
        )
        return Response({"id": user.pk, "username": user.username, "email": user.email}, status=status.HTTP_201_CREATED)


class ActivationView(APIView):
    """POST registrations/email/activation/: the token of the activation link activates its account, once."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=ActivationSerializer, responses=ActivatedSerializer)
    def post(self, request: Request) -> Response:
        serializer = ActivationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_activate(token=serializer.validated_data["token"])
        return Response({"message": "OK", "username": user.username})


class ActivationResendView(APIView):
    """POST registrations/email/resend/: the activation link again (the same answer for any address)."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=ActivationResendSerializer, responses=MessageSerializer)
    def post(self, request: Request) -> Response:
        serializer = ActivationResendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activation_mail_resend(email=serializer.validated_data["email"], ip=client_ip(request))
        return Response({"message": "OK"})


class AuthorizationView(APIView):
    """POST authorizations/ logs in (username or mobile); DELETE ends the session of a refresh token."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=LoginSerializer, responses=LoggedInSerializer)
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = user_login(
            request=request,
            account=data["username"],
            password=data["password"],
            ip=client_ip(request),
            captcha=(str(data["image_code_id"]), data["text"]) if "image_code_id" in data and "text" in data else None,
        )
        return logged_in_response(request, user)

    @extend_schema(request=RefreshSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session_end(refresh=serializer.validated_data["refresh"], access=sent_access_token(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SmsLoginCodeView(APIView):
    """POST authorizations/sms_codes/: a login code to the mobile's account (the same answer for any mobile)."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=SmsCodeRequestSerializer, responses=MessageSerializer)
    def post(self, request: Request) -> Response:
        serializer = SmsCodeRequestSerializer(data=request.data)  # the mobile and the captcha, as sms_codes/
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("image_code_id"):
            image_code_check(uuid=str(data["image_code_id"]), text=data["text"])
        sms_login_code_send(mobile=data["mobile"], ip=client_ip(request))
        return Response({"message": "OK"})


class SmsLoginView(APIView):
    """POST authorizations/sms/: log in with the mobile and its login code; the answer of POST authorizations/."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=SmsLoginSerializer, responses=LoggedInSerializer)
    def post(self, request: Request) -> Response:
        serializer = SmsLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = user_login_sms(mobile=data["mobile"], sms_code=data["sms_code"], ip=client_ip(request))
        return logged_in_response(request, user)


class RefreshView(APIView):
    """POST authorizations/refresh/: a new access token and a rotated refresh token."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(request=RefreshSerializer, responses=TokenPairSerializer)
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(session_refresh(refresh=serializer.validated_data["refresh"]))


class UserDetailView(APIView):
    """GET user/: the signed-in user's profile; PATCH user/: change its nickname, real name, birthday or gender."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=UserDetailSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserDetailSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses=UserDetailSerializer)
    def patch(self, request: Request) -> Response:
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_profile_update(user=signed_in_user(request), changes=serializer.validated_data)
        return Response(UserDetailSerializer(user).data)


# --- User center ----------------------------------------------------------------------------------------


class EmailView(APIView):
    """PUT email/: store the address and mail a verification link in the background."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=EmailSerializer, responses=EmailSerializer)
    def put(self, request: Request) -> Response:
        serializer = EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = signed_in_user(request)
        user_email_set(user=user, email=serializer.validated_data["email"])
        return Response({"id": user.pk, "email": user.email})


class EmailVerificationView(APIView):
    """GET emails/verification/?token=: the link of the verification mail; marks the address verified."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(parameters=[EmailVerificationSerializer], responses=MessageSerializer)
    def get(self, request: Request) -> Response:
        serializer = EmailVerificationSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        user_email_verify(token=serializer.validated_data["token"])
        return Response({"message": "OK"})


class PasswordView(APIView):
    """users/{id}/password/: PUT changes the own password (signed in); POST sets it with a reset token."""

    def _is_reset(self) -> bool:
        """POST carries its reset token in the body: a stale Authorization header must not block it."""
        request = getattr(self, "request", None)  # None while the OpenAPI schema is generated
        return request is not None and request.method == "POST"

    def get_authenticators(self) -> list[Any]:
        return [PublicEndpointAuthentication()] if self._is_reset() else super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        return [] if self._is_reset() else [IsAuthenticated()]

    @extend_schema(request=PasswordChangeSerializer, responses=PasswordChangedSerializer)
    def put(self, request: Request, user_id: int) -> Response:
        user = signed_in_user(request)
        if user_id != user.pk:
            raise NotFoundError()
        serializer = PasswordChangeSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        tokens = user_password_change(user=user, old_password=data["old_password"], password=data["password"])
        return Response({"message": "OK", **tokens})

    @extend_schema(request=PasswordResetSerializer, responses=MessageSerializer)
    def post(self, request: Request, user_id: int) -> Response:
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        password_reset_finish(user_id=user_id, access_token=data["access_token"], password=data["password"])
        return Response({"message": "OK"})


class PasswordResetSmsTokenView(APIView):
    """GET accounts/{account}/sms/token/: forgotten password, step 1 (captcha → masked mobile + token)."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(parameters=[CaptchaSerializer], responses=PasswordResetSmsTokenSerializer)
    def get(self, request: Request, account: str) -> Response:
        serializer = CaptchaSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return Response(
            password_reset_start(account=account, image_code_id=str(data["image_code_id"]), text=data["text"])
        )


class PasswordResetSmsView(APIView):
    """GET sms_codes/?access_token=: forgotten password, step 2 (an SMS code to the account's mobile)."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(
        operation_id="password_reset_sms_code", parameters=[AccessTokenSerializer], responses=MessageSerializer
    )
    def get(self, request: Request) -> Response:
        serializer = AccessTokenSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        password_reset_sms_send(access_token=serializer.validated_data["access_token"], ip=client_ip(request))
        return Response({"message": "OK"})


class PasswordResetTokenView(APIView):
    """GET accounts/{account}/password/token/?sms_code=: forgotten password, step 3 (code → one-use token)."""

    authentication_classes = [PublicEndpointAuthentication]

    @extend_schema(parameters=[SmsCodeSerializer], responses=PasswordResetTokenSerializer)
    def get(self, request: Request, account: str) -> Response:
        serializer = SmsCodeSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        _limit_lookups(request)  # 404 for an unknown account, 400 for a known one
        sms_code = serializer.validated_data["sms_code"]
        return Response(password_reset_sms_check(account=account, sms_code=sms_code))


class BrowseHistoryView(APIView):
    """browse_histories/: POST records a visit; GET the most recent SKUs as sku-cards, newest first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SKUCardSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(SKUCardSerializer(selectors.browse_history_skus(user=signed_in_user(request)), many=True).data)

    @extend_schema(request=SkuIdSerializer, responses={201: SkuIdSerializer})
    def post(self, request: Request) -> Response:
        serializer = SkuIdSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        browse_history_add(user=signed_in_user(request), sku_id=serializer.validated_data["sku_id"])
        return Response(serializer.validated_data, status=status.HTTP_201_CREATED)


class FavoriteListView(APIView):
    """favorites/: GET the saved SKUs as sku-cards; POST saves one (saving it again is harmless)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SKUCardSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(SKUCardSerializer(selectors.favorite_skus(user=signed_in_user(request)), many=True).data)

    @extend_schema(request=SkuIdSerializer, responses={201: SKUCardSerializer, 200: SKUCardSerializer})
    def post(self, request: Request) -> Response:
        serializer = SkuIdSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sku, created = favorite_add(user=signed_in_user(request), sku_id=serializer.validated_data["sku_id"])
        return Response(SKUCardSerializer(sku).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class FavoriteDetailView(APIView):
    """DELETE favorites/{sku_id}/: forget a saved SKU."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, sku_id: int) -> Response:
        favorite_remove(user=signed_in_user(request), sku_id=sku_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
