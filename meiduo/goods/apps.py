"""App configuration for goods."""

from django.apps import AppConfig


class GoodsConfig(AppConfig):
    """The catalog."""

    name = "meiduo.goods"
    label = "goods"
