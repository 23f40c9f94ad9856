"""Shipping addresses: a user's receivers and places, soft-deleted so old orders keep theirs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Address(models.Model):
    """One shipping address; province/city/district are nested divisions of the area tree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("user")
    )
    title = models.CharField(_("title"), max_length=20)
    receiver = models.CharField(_("receiver"), max_length=20)
    province = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    city = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    district = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    place = models.CharField(_("place"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=11)
    tel = models.CharField(_("telephone"), max_length=20, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    is_deleted = models.BooleanField(_("deleted"), default=False)
    create_time = models.DateTimeField(_("created"), auto_now_add=True)
    update_time = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "tb_address"
        ordering = ["-update_time"]
        indexes = [models.Index(fields=["user", "is_deleted"], name="address_user_live_idx")]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.receiver} {self.place}"
