"""App configuration for orders."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    """Settlement, order placement without oversell, the order lifecycle and reviews."""

    name = "meiduo.orders"
    label = "orders"
    verbose_name = _("Orders")
