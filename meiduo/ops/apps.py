"""App configuration for ops."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The operations API and statistics for the shop's operators."""

    name = "meiduo.ops"
    label = "ops"
