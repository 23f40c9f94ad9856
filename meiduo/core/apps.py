"""App configuration for the shared core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Core has no models of its own; it holds shared infrastructure."""

    name = "meiduo.core"
    label = "core"

    def ready(self) -> None:
        """Register the OpenAPI extensions."""
        from meiduo.core import schema  # noqa: F401
