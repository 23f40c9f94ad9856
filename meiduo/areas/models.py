"""The national division tree: provinces, cities and districts keyed by their official codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """One division; `id` is its official code (2 digits province, 4 city, 6 district, 9 town)."""

    id = models.IntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=20)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="subs",
        null=True,
        blank=True,
        verbose_name=_("parent division"),
    )

    class Meta:
        db_table = "tb_areas"
        ordering = ["id"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name
