"""App configuration for addresses."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AddressesConfig(AppConfig):
    """Shipping addresses of users."""

    name = "meiduo.addresses"
    label = "addresses"
    verbose_name = _("Shipping addresses")
