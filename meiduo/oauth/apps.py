"""App configuration for oauth."""

from django.apps import AppConfig


class OAuthConfig(AppConfig):
    """Third-party login (QQ, Weibo, WeChat) and binding of provider accounts to users."""

    name = "meiduo.oauth"
    label = "oauth"
