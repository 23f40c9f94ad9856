"""App configuration for users."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    """Accounts."""

    name = "meiduo.users"
    label = "users"
    verbose_name = _("Users")
