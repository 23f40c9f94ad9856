"""App configuration for carts."""

from django.apps import AppConfig


class CartsConfig(AppConfig):
    """Shopping carts."""

    name = "meiduo.carts"
    label = "carts"
