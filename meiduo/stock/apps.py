"""App configuration for stock."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    """Stock of the SKUs, below orders (as Oscar's partner and Saleor's warehouse): no models of its own."""

    name = "meiduo.stock"
    label = "stock"
    verbose_name = _("Stock")
