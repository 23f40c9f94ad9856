"""The stock ledger: every stock change that is not an order placement (placements are their order lines)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StockLedgerEntry(models.Model):
    """One change of one SKU's stock: who, when, by how much, the stock it left, why, and where it came from.

    Written by meiduo.stock.services in the same transaction as the change, so the two never disagree.
    """

    class Source(models.TextChoices):
        OPERATOR = "operator", _("operator (SKU page)")
        UPLOAD = "upload", _("operator (CSV upload)")
        CANCEL = "cancel", _("order cancelled")
        EXPIRY = "expiry", _("order expired unpaid")
        REFUND = "refund", _("paid order cancelled and refunded")

    sku = models.ForeignKey("goods.SKU", on_delete=models.PROTECT, related_name="stock_ledger", verbose_name=_("SKU"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    delta = models.IntegerField(_("change"))
    stock_after = models.IntegerField(_("stock after"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    order_id = models.CharField(_("order number"), max_length=32, blank=True, default="", db_index=True)
    create_time = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        db_table = "tb_stock_ledger"
        ordering = ["-create_time", "-id"]
        verbose_name = _("stock change")
        verbose_name_plural = _("stock ledger")
        permissions = [("change_stock", _("Can set and adjust stock"))]
        indexes = [models.Index(fields=["sku", "-create_time"], name="stock_ledger_sku_time_idx")]

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.delta:+d} → {self.stock_after}"
