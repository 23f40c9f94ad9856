"""The signed-in user's cart: one line per SKU with its count and whether it is selected for checkout."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CartLine(models.Model):
    """One SKU in a user's cart (anonymous visitors keep theirs in a signed cookie instead)."""

    # No index of its own: the unique (user, sku) constraint's index serves every lookup by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cart_lines",
        verbose_name=_("user"),
        db_index=False,
    )
    sku = models.ForeignKey("goods.SKU", on_delete=models.CASCADE, related_name="+", verbose_name=_("SKU"))
    count = models.PositiveIntegerField(_("count"))
    selected = models.BooleanField(_("selected"), default=True)
    create_time = models.DateTimeField(_("added"), auto_now_add=True)
    update_time = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "tb_cart_line"
        ordering = ["id"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [models.UniqueConstraint(fields=["user", "sku"], name="cart_line_one_per_sku")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.sku_id} × {self.count}"
