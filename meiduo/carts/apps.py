"""App configuration for carts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CartsConfig(AppConfig):
    """Shopping carts."""

    name = "meiduo.carts"
    label = "carts"
    verbose_name = _("Carts")
