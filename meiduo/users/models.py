"""The user model: Django's user plus a unique mobile number and e-mail verification state."""

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
