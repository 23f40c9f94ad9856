"""App configuration for areas."""

from django.apps import AppConfig


class AreasConfig(AppConfig):
    """The national province/city/district division tree and its data."""

    name = "meiduo.areas"
    label = "areas"
