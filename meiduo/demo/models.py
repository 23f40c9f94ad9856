"""The demo payment gateway's own books (as Alipay keeps its own): its trades and refunds.

The tables were created by the payments app (migrations 0001, 0002) and keep their names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoTrade(models.Model):
    """A payment the built-in demo gateway confirmed (its own books, as Alipay keeps its own)."""

    trade_no = models.CharField(_("trade number"), max_length=64, unique=True)
    out_trade_no = models.CharField(_("order number"), max_length=64, unique=True)
    app_id = models.CharField(_("app id"), max_length=32)
    total_amount = models.CharField(_("amount"), max_length=20)
    subject = models.CharField(_("subject"), max_length=256)
    notify_url = models.CharField(_("notify URL"), max_length=500, blank=True)
    refunded_amount = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=0)
    create_time = models.DateTimeField(_("paid"), auto_now_add=True)

    class Meta:
        db_table = "tb_payment_demo_trade"
        ordering = ["-create_time"]
        verbose_name = _("demo gateway trade")
        verbose_name_plural = _("demo gateway trades")

    def __str__(self) -> str:
        return self.trade_no


class DemoRefund(models.Model):
    """A refund the demo gateway made (alipay.trade.refund): once per trade and request number."""

    trade = models.ForeignKey(DemoTrade, on_delete=models.CASCADE, related_name="refunds", verbose_name=_("trade"))
    out_request_no = models.CharField(_("refund request number"), max_length=64)
    refund_amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    create_time = models.DateTimeField(_("refunded"), auto_now_add=True)

    class Meta:
        db_table = "tb_payment_demo_refund"
        ordering = ["-create_time"]
        verbose_name = _("demo gateway refund")
        verbose_name_plural = _("demo gateway refunds")
        constraints = [
            models.UniqueConstraint(fields=["trade", "out_request_no"], name="demo_refund_once_per_request"),
        ]

    def __str__(self) -> str:
        return f"{self.trade_id}: {self.out_request_no}"
