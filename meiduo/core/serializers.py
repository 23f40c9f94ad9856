"""Serializers shared by every app's API: the plain `{"message": ...}` answer."""

from rest_framework import serializers


class MessageSerializer(serializers.Serializer):
    """`{"message": "OK"}` and other one-message answers."""

    message = serializers.CharField()
