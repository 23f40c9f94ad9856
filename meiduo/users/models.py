"""The user model (mobile, e-mail state, default address) and what a user keeps: browse history, favourites."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A shopper or operator. Shoppers always have a mobile; operators created by hand may not."""

    mobile = models.CharField(_("mobile"), max_length=11, unique=True, null=True, blank=True)
    email_active = models.BooleanField(_("e-mail verified"), default=False)
    default_address = models.ForeignKey(
        "addresses.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default address"),
    )

    class Meta:
        db_table = "tb_users"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username


class BrowseHistory(models.Model):
    """A SKU the user looked at; one row per (user, SKU), its time moved forward on every new visit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browse_histories", verbose_name=_("user"))
    sku = models.ForeignKey("goods.SKU", on_delete=models.CASCADE, related_name="+", verbose_name=_("SKU"))
    visit_time = models.DateTimeField(_("visited"))

    class Meta:
        db_table = "tb_browse_history"
        constraints = [models.UniqueConstraint(fields=["user", "sku"], name="browse_history_user_sku_uniq")]
        indexes = [models.Index(fields=["user", "-visit_time"], name="browse_history_recent_idx")]
        verbose_name = _("browse history")
        verbose_name_plural = _("browse histories")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.sku_id}"


class Favorite(models.Model):
    """A SKU the user saved."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="favorites", verbose_name=_("user"))
    sku = models.ForeignKey("goods.SKU", on_delete=models.CASCADE, related_name="+", verbose_name=_("SKU"))
    create_time = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "tb_favorite"
        constraints = [models.UniqueConstraint(fields=["user", "sku"], name="favorite_user_sku_uniq")]
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.sku_id}"
