"""Payments: the confirmed payment of an order, the handed-out payment pages, and the demo gateway's own trades."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GatewayName(models.TextChoices):
    """The gateways a payment can go through (setting PAYMENT_GATEWAY)."""

    DEMO = "demo", _("demo gateway")
    ALIPAY = "alipay", _("Alipay")


class Payment(models.Model):
    """The confirmed payment of one order; recorded once, together with the order becoming paid."""

    class Source(models.TextChoices):
        RETURN = "return", _("return (browser)")
        NOTIFY = "notify", _("notification")
        QUERY = "query", _("trade query")

    order = models.OneToOneField(
        "orders.OrderInfo", on_delete=models.PROTECT, related_name="payment", verbose_name=_("order")
    )
    gateway = models.CharField(_("gateway"), max_length=16, choices=GatewayName.choices)
    trade_id = models.CharField(_("trade number"), max_length=64, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    source = models.CharField(_("confirmed by"), max_length=8, choices=Source.choices)
    raw = models.JSONField(_("gateway message"), default=dict)
    create_time = models.DateTimeField(_("paid"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "tb_payment"
        ordering = ["-create_time", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.trade_id}"


class PaymentAttempt(models.Model):
    """An order whose payment page was handed out: the lost-notification job asks the gateway about it."""

    order = models.OneToOneField(
        "orders.OrderInfo", on_delete=models.CASCADE, related_name="payment_attempt", verbose_name=_("order")
    )
    gateway = models.CharField(_("gateway"), max_length=16, choices=GatewayName.choices)
    create_time = models.DateTimeField(_("first started"), auto_now_add=True)
    update_time = models.DateTimeField(_("last started"), auto_now=True, db_index=True)

    class Meta:
        db_table = "tb_payment_attempt"
        ordering = ["-update_time"]
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")

    def __str__(self) -> str:
        return self.order_id


class DemoTrade(models.Model):
    """A payment the built-in demo gateway confirmed (its own books, as Alipay keeps its own)."""

    trade_no = models.CharField(_("trade number"), max_length=64, unique=True)
    out_trade_no = models.CharField(_("order number"), max_length=64, unique=True)
    app_id = models.CharField(_("app id"), max_length=32)
    total_amount = models.CharField(_("amount"), max_length=20)
    subject = models.CharField(_("subject"), max_length=256)
    notify_url = models.CharField(_("notify URL"), max_length=500, blank=True)
    create_time = models.DateTimeField(_("paid"), auto_now_add=True)

    class Meta:
        db_table = "tb_payment_demo_trade"
        ordering = ["-create_time"]
        verbose_name = _("demo gateway trade")
        verbose_name_plural = _("demo gateway trades")

    def __str__(self) -> str:
        return self.trade_no
