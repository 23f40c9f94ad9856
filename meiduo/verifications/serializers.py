"""Input validation for the verification-code endpoints."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meiduo.core.validators import validate_mobile


class MobileSerializer(serializers.Serializer):
    """A mobile number taken from the path."""

    mobile = serializers.CharField(validators=[validate_mobile])


class SmsCodeRequestSerializer(MobileSerializer):
    """`sms_codes/{mobile}/`: the mobile and, unless disabled by settings, the captcha answer."""

    image_code_id = serializers.UUIDField(required=False)
    text = serializers.CharField(required=False, max_length=10)

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
        if settings.SMS_CAPTCHA_REQUIRED:
            missing = {
                field: [_("This field is required.")] for field in ("image_code_id", "text") if not attrs.get(field)
            }
            if missing:
                raise serializers.ValidationError(missing)
        elif bool(attrs.get("image_code_id")) != bool(attrs.get("text")):
            raise serializers.ValidationError({"text": [_("Give both the image code id and its text, or neither.")]})
        return attrs
