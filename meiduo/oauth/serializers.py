"""Input validation and output shapes of the third-party login endpoints (API.md, Third-party login)."""

import copy
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meiduo.core.errors import FieldError
from meiduo.core.validators import validate_mobile
from meiduo.oauth.tokens import bind_token_read, next_is_safe
from meiduo.users.models import User
from meiduo.users.serializers import RegisterSerializer


class OAuthAuthorizationQuerySerializer(serializers.Serializer):
    """GET oauth/{provider}/authorization/: where to go back after logging in (a path on this site)."""

    next = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="/")

    def validate_next(self, value: str) -> str:
        if not value:
            return "/"
        if not next_is_safe(value):
            raise serializers.ValidationError(_("Enter a path on this site, starting with a single /."))
        return value


class OAuthLoginURLSerializer(serializers.Serializer):
    """Answer of GET oauth/{provider}/authorization/."""

    login_url = serializers.URLField()
    next = serializers.CharField()


class OAuthCallbackQuerySerializer(serializers.Serializer):
    """GET oauth/{provider}/user/: what the provider appended to the storefront's callback page."""

    code = serializers.CharField(max_length=512)
    state = serializers.CharField(max_length=128)


class OAuthUserAnswerSerializer(serializers.Serializer):
    """Answer of GET oauth/{provider}/user/: the login answer when bound, else `access_token` for binding."""

    token = serializers.CharField(required=False)
    refresh = serializers.CharField(required=False)
    user_id = serializers.IntegerField(required=False)
    username = serializers.CharField(required=False)
    access_token = serializers.CharField(required=False, help_text="signed provider account, valid 10 minutes")
    next = serializers.CharField()


class OAuthBindSerializer(serializers.Serializer):
    """POST oauth/{provider}/user/: a new mobile gets an account with this password, a known one must match it."""

    mobile = serializers.CharField(max_length=11, validators=[validate_mobile])
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    sms_code = copy.deepcopy(RegisterSerializer._declared_fields["sms_code"])  # the registration's rule
    access_token = serializers.CharField(max_length=2000, write_only=True)

    def validate_access_token(self, value: str) -> tuple[str, str]:
        """Decoded to (provider account id, next); the provider comes from the path (context)."""
        try:
            return bind_token_read(provider=self.context["provider"], token=value)
        except FieldError as exc:
            raise serializers.ValidationError(str(exc.message)) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The registration rules for the password, whether or not the mobile has an account: a rule applied
        # only to new accounts would tell a prober which mobiles are registered (and spend their code tries).
        password = attrs["password"]
        try:
            RegisterSerializer().fields["password"].run_validation(password)
            password_validation.validate_password(password, User(mobile=attrs["mobile"]))
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"password": exc.detail}) from exc
        return attrs


class OAuthLoggedInSerializer(serializers.Serializer):
    """Answer of POST oauth/{provider}/user/ (the login answer plus where to go next)."""

    token = serializers.CharField()
    refresh = serializers.CharField()
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    next = serializers.CharField()
