"""App configuration for demo."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and fake providers (the top layer: it may use every app; none uses it)."""

    name = "meiduo.demo"
    label = "demo"
