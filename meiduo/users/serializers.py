"""Input validation and output shapes of the account endpoints (API.md, Accounts)."""

from datetime import date
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meiduo.core.validators import validate_mobile
from meiduo.users.models import User
from meiduo.users.validators import validate_username


class _NewAccountSerializer(serializers.Serializer):
    """What every registration asks: username, password twice, agreement; one clear message per field."""

    username = serializers.CharField(max_length=20, validators=[validate_username])
    password = serializers.CharField(min_length=8, max_length=20, write_only=True, trim_whitespace=False)
    password2 = serializers.CharField(min_length=8, max_length=20, write_only=True, trim_whitespace=False)
    allow = serializers.CharField(write_only=True)

    def validate_allow(self, value: str) -> str:
        if value.lower() != "true":
            raise serializers.ValidationError(_("Please agree to the user agreement."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["password"] != attrs["password2"]:
            raise serializers.ValidationError({"password2": [_("The two passwords differ.")]})
        account = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            password_validation.validate_password(attrs["password"], account)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


class RegisterSerializer(_NewAccountSerializer):
    """POST users/: a new account with a mobile proven by an SMS code."""

    mobile = serializers.CharField(max_length=11, validators=[validate_mobile])
    sms_code = serializers.RegexField(
        r"^\d{6}$", write_only=True, error_messages={"invalid": _("Enter the 6-digit SMS code.")}
    )


class EmailRegisterSerializer(_NewAccountSerializer):
    """POST registrations/email/: a new account proven by the activation link mailed to `email`."""

    email = serializers.EmailField(max_length=254)

    def validate_email(self, value: str) -> str:
        return User.objects.normalize_email(value)


class EmailRegisteredSerializer(serializers.Serializer):
    """201 answer of POST registrations/email/ (no session: the account is not active yet)."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()


class ActivationSerializer(serializers.Serializer):
    """POST registrations/email/activation/: the token of the activation link."""

    token = serializers.CharField(max_length=1000)


class ActivatedSerializer(serializers.Serializer):
    """Answer of POST registrations/email/activation/: the account may now log in."""

    message = serializers.CharField()
    username = serializers.CharField()


class ActivationResendSerializer(serializers.Serializer):
    """POST registrations/email/resend/: the address the account was registered with."""

    email = serializers.EmailField(max_length=254)


class RegisteredSerializer(serializers.Serializer):
    """201 answer of POST users/."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    mobile = serializers.CharField()
    token = serializers.CharField()
    refresh = serializers.CharField()


class LoginSerializer(serializers.Serializer):
    """POST authorizations/: `username` may be a username or a mobile."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    # Needed only after repeated failures (the answer then says `"code": "captcha_required"`).
    image_code_id = serializers.UUIDField(required=False, format="hex_verbose")
    text = serializers.CharField(max_length=8, required=False)


class LoggedInSerializer(serializers.Serializer):
    """Answer of a successful login."""

    token = serializers.CharField()
    refresh = serializers.CharField()
    user_id = serializers.IntegerField()
    username = serializers.CharField()


class RefreshSerializer(serializers.Serializer):
    """A refresh token (refresh and logout)."""

    refresh = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    """Answer of a refresh: the new access token and the rotated refresh token."""

    token = serializers.CharField()
    refresh = serializers.CharField()


class UserDetailSerializer(serializers.ModelSerializer):
    """GET user/ (and the answer of PATCH user/)."""

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "mobile",
            "email",
            "email_active",
            "nickname",
            "real_name",
            "birthday",
            "gender",
        )


# Sent to PATCH user/ but changed elsewhere: each has its own verified flow.
NOT_HERE = {
    "username": _("The username cannot be changed."),
    "mobile": _("The mobile is changed by verifying the new number, not here."),
    "email": _("The e-mail is changed through its verification mail (email/), not here."),
    "email_active": _("The e-mail is verified through the link in the verification mail."),
    "password": _("The password is changed on its own page (the current one is needed)."),
}


class ProfileSerializer(serializers.Serializer):
    """PATCH user/: any of nickname, real_name, birthday (not in the future), gender (0 not said, 1 male, 2 female)."""

    nickname = serializers.CharField(max_length=20, allow_blank=True, required=False, trim_whitespace=True)
    real_name = serializers.CharField(max_length=20, allow_blank=True, required=False, trim_whitespace=True)
    birthday = serializers.DateField(allow_null=True, required=False)
    gender = serializers.ChoiceField(choices=User.Gender.choices, required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        refused = {field: [message] for field, message in NOT_HERE.items() if field in data}
        if refused:
            raise serializers.ValidationError(refused)
        return dict(super().to_internal_value(data))

    def validate_birthday(self, value: date | None) -> date | None:
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("The birthday cannot be in the future."))
        if value is not None and value.year < 1900:
            raise serializers.ValidationError(_("Enter a birthday after 1900."))
        return value


class UsernameCountSerializer(serializers.Serializer):
    """GET usernames/{username}/count/."""

    username = serializers.CharField()
    count = serializers.IntegerField()


class MobileCountSerializer(serializers.Serializer):
    """GET mobiles/{mobile}/count/."""

    mobile = serializers.CharField()
    count = serializers.IntegerField()


# --- User center ----------------------------------------------------------------------------------------


def _new_password_checked(attrs: dict[str, Any], user: User | None = None) -> dict[str, Any]:
    """The two new passwords agree and pass the password validators."""
    if attrs["password"] != attrs["password2"]:
        raise serializers.ValidationError({"password2": [_("The two passwords differ.")]})
    try:
        password_validation.validate_password(attrs["password"], user)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"password": list(exc.messages)}) from exc
    return attrs


class EmailSerializer(serializers.Serializer):
    """PUT email/ in; `{"id", "email"}` out."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(max_length=254)


class EmailVerificationSerializer(serializers.Serializer):
    """GET emails/verification/?token=."""

    token = serializers.CharField(max_length=1000)


class PasswordChangeSerializer(serializers.Serializer):
    """PUT users/{id}/password/: the current password and the new one twice."""

    old_password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    password = serializers.CharField(min_length=8, max_length=20, write_only=True, trim_whitespace=False)
    password2 = serializers.CharField(min_length=8, max_length=20, write_only=True, trim_whitespace=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _new_password_checked(attrs, self.context.get("user"))


class PasswordChangedSerializer(serializers.Serializer):
    """Answer of a password change: OK, and a new session for the client that made it."""

    message = serializers.CharField()
    token = serializers.CharField()
    refresh = serializers.CharField()


class PasswordResetSerializer(serializers.Serializer):
    """POST users/{id}/password/: the new password twice and the token of the SMS step."""

    password = serializers.CharField(min_length=8, max_length=20, write_only=True, trim_whitespace=False)
    password2 = serializers.CharField(min_length=8, max_length=20, write_only=True, trim_whitespace=False)
    access_token = serializers.CharField(max_length=1000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _new_password_checked(attrs)


class CaptchaSerializer(serializers.Serializer):
    """GET accounts/{account}/sms/token/: the captcha shown and its answer (always required here)."""

    image_code_id = serializers.UUIDField()
    text = serializers.CharField(max_length=10)


class PasswordResetSmsTokenSerializer(serializers.Serializer):
    """Answer of step 1: the masked mobile and the token for step 2."""

    mobile = serializers.CharField()
    access_token = serializers.CharField()


class AccessTokenSerializer(serializers.Serializer):
    """GET sms_codes/?access_token=."""

    access_token = serializers.CharField(max_length=1000)


class SmsCodeSerializer(serializers.Serializer):
    """GET accounts/{account}/password/token/?sms_code=."""

    sms_code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": _("Enter the 6-digit SMS code.")})


class PasswordResetTokenSerializer(serializers.Serializer):
    """Answer of step 3: whose password may be set, and the one-use token for it."""

    user_id = serializers.IntegerField()
    access_token = serializers.CharField()


class SkuIdSerializer(serializers.Serializer):
    """POST browse_histories/ and favorites/."""

    sku_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


# --- SMS login ------------------------------------------------------------------------------------------


class SmsLoginSerializer(SmsCodeSerializer):
    """POST authorizations/sms/: the mobile and the login code sent to it."""

    mobile = serializers.CharField(max_length=11, validators=[validate_mobile])
