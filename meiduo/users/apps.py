"""App configuration for users."""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    """Accounts."""

    name = "meiduo.users"
    label = "users"
