"""App configuration for orders."""

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    """Settlement, order placement without oversell, the order lifecycle and reviews."""

    name = "meiduo.orders"
    label = "orders"
