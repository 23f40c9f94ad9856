"""App configuration for verifications."""

from django.apps import AppConfig


class VerificationsConfig(AppConfig):
    """Verification codes."""

    name = "meiduo.verifications"
    label = "verifications"
