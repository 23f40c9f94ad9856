"""App configuration for oauth."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OAuthConfig(AppConfig):
    """Third-party login (QQ, Weibo, WeChat) and binding of provider accounts to users."""

    name = "meiduo.oauth"
    label = "oauth"
    verbose_name = _("Social login")
