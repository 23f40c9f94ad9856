"""App configuration for the shared core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure; its one model is the deny-list of logged-out JWT sessions (meiduo.core.models)."""

    name = "meiduo.core"
    label = "core"

    def ready(self) -> None:
        """Register the OpenAPI extensions."""
        from meiduo.core import schema  # noqa: F401
