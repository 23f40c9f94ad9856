"""App configuration for operations, and the admin configuration whose site is the operations admin site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """The top of the layers below demo: it reads orders, payments, stock, users and goods; nothing imports it."""

    default = True
    name = "meiduo.operations"
    label = "operations"
    verbose_name = _("Operations")


class OperationsAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the operations site (the dashboard as its index) as `admin.site`."""

    default = False  # named in INSTALLED_APPS by its path; the app's own configuration is OperationsConfig
    default_site = "meiduo.operations.sites.OperationsAdminSite"
