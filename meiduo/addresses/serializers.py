"""Input validation and output shape of addresses (API.md, Addresses and areas)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meiduo.addresses.models import Address
from meiduo.addresses.services import ADDRESS_LIMIT
from meiduo.core.validators import validate_mobile

# Landline: optional area code (0 + 2–3 digits, optional dash), 7–8 digits, optional extension.
TEL_PATTERN = r"^(0[0-9]{2,3}-?)?[0-9]{7,8}(-[0-9]{1,6})?$"
AREA_ID_MAX = 2**31 - 1  # area codes are 32-bit integers


class AddressSerializer(serializers.ModelSerializer):
    """address = {id, title, receiver, province, city, district, *_id, place, mobile, tel, email}."""

    title = serializers.CharField(max_length=20, required=False, allow_blank=True)
    province = serializers.CharField(source="province.name", read_only=True)
    city = serializers.CharField(source="city.name", read_only=True)
    district = serializers.CharField(source="district.name", read_only=True)
    province_id = serializers.IntegerField(min_value=1, max_value=AREA_ID_MAX)
    city_id = serializers.IntegerField(min_value=1, max_value=AREA_ID_MAX)
    district_id = serializers.IntegerField(min_value=1, max_value=AREA_ID_MAX)
    mobile = serializers.CharField(validators=[validate_mobile])
    tel = serializers.RegexField(
        TEL_PATTERN,
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("Enter a valid telephone number, e.g. 0755-12345678.")},
    )
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)

    class Meta:
        model = Address
        fields = (
            "id",
            "title",
            "receiver",
            "province",
            "city",
            "district",
            "province_id",
            "city_id",
            "district_id",
            "place",
            "mobile",
            "tel",
            "email",
        )
        read_only_fields = ("id",)


class AddressTitleSerializer(serializers.Serializer):
    """PUT addresses/{id}/title/."""

    title = serializers.CharField(max_length=20)


class AddressBookSerializer(serializers.Serializer):
    """GET addresses/: the live addresses with the default one and the limit."""

    user_id = serializers.IntegerField()
    default_address_id = serializers.IntegerField(allow_null=True)
    limit = serializers.IntegerField(default=ADDRESS_LIMIT)
    addresses = AddressSerializer(many=True)
