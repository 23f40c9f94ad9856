"""Output shapes of areas: `{"id", "name"}` and `{"id", "name", "subs": [...]}`."""

from rest_framework import serializers

from meiduo.areas.models import Area


class AreaSerializer(serializers.ModelSerializer):
    """A division as `{"id", "name"}`."""

    class Meta:
        model = Area
        fields = ("id", "name")


class AreaWithSubsSerializer(serializers.ModelSerializer):
    """A division with its direct subdivisions."""

    subs = AreaSerializer(many=True, read_only=True)

    class Meta:
        model = Area
        fields = ("id", "name", "subs")
