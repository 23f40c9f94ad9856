"""Bindings of third-party accounts (a QQ openid, a Weibo uid, a WeChat openid) to shop users."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OAuthAccount(models.Model):
    """One provider account bound to one user; a provider account is bound at most once."""

    class Provider(models.TextChoices):
        QQ = "qq", _("QQ")
        SINA = "sina", _("Weibo")
        WEIXIN = "weixin", _("WeChat")

    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    openid = models.CharField(_("provider user id"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oauth_accounts", verbose_name=_("user")
    )
    create_time = models.DateTimeField(_("bound at"), auto_now_add=True)

    class Meta:
        db_table = "tb_oauth_accounts"
        verbose_name = _("third-party account")
        verbose_name_plural = _("third-party accounts")
        constraints = [models.UniqueConstraint(fields=["provider", "openid"], name="oauth_account_unique_openid")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.openid}"
