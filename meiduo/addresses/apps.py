"""App configuration for addresses."""

from django.apps import AppConfig


class AddressesConfig(AppConfig):
    """Shipping addresses of users."""

    name = "meiduo.addresses"
    label = "addresses"
