"""App configuration for areas."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    """The national province/city/district division tree and its data."""

    name = "meiduo.areas"
    label = "areas"
    verbose_name = _("Areas")
