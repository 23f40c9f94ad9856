"""The user model (mobile, e-mail state, default address) and what a user keeps: browse history, favourites."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A shopper or operator. A shopper registers with a mobile (proven by SMS) or with an e-mail address
    (proven by the activation link: until it is opened the account is inactive and `activation_pending`);
    operators created by hand may have neither."""

    class Gender(models.IntegerChoices):
        """What the shopper chose to say (nothing by default)."""

        UNSAID = 0, _("not said")
        MALE = 1, _("male")
        FEMALE = 2, _("female")

    mobile = models.CharField(_("mobile"), max_length=11, unique=True, null=True, blank=True)
    # Profile (user/ PATCH): how the shop addresses the shopper; mobile and e-mail have their own verified flows.
    nickname = models.CharField(_("nickname"), max_length=20, blank=True, default="")
    real_name = models.CharField(_("real name"), max_length=20, blank=True, default="")
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    gender = models.PositiveSmallIntegerField(_("gender"), choices=Gender.choices, default=Gender.UNSAID)
    email_active = models.BooleanField(_("e-mail verified"), default=False)
    # Registered by e-mail and the activation link not opened yet. Only such an account can be activated by a
    # link: an account an operator disabled (is_active off, this off) stays disabled.
    activation_pending = models.BooleanField(_("waiting for e-mail activation"), default=False)
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
