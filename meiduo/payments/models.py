"""Payments: an order's confirmed payment and its refund, and the handed-out payment pages."""

from django.conf import settings
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


class Refund(models.Model):
    """Giving back the money of one payment (all of it): opened once, issued at the gateway until it confirms.

    Its `out_request_no` is fixed when it is opened, so every retry is the same
    refund request to the gateway, which refunds a request number only once.
    """

    class Reason(models.TextChoices):
        CANCELLED_BY_USER = "user_cancel", _("cancelled by the shopper")
        CANCELLED_BY_STAFF = "staff_cancel", _("cancelled by staff")
        PAID_TOO_LATE = "not_payable", _("paid after the order was cancelled or expired")
        CANCELLED = "cancelled", _("order cancelled")

    class Status(models.TextChoices):
        PENDING = "pending", _("refunding")
        REFUNDED = "refunded", _("refunded (gateway confirmed)")
        MARKED = "marked", _("marked refunded by staff")

    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="refund", verbose_name=_("payment")
    )  # one-to-one: a payment's money is refunded at most once
    out_request_no = models.CharField(_("refund request number"), max_length=64)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
        help_text=_("Empty when the shop opened it by itself (a payment that arrived too late)."),
    )
    gateway_refund_id = models.CharField(_("gateway refund"), max_length=128, blank=True, default="")
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    raw = models.JSONField(_("gateway answer"), default=dict, blank=True)
    create_time = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    update_time = models.DateTimeField(_("last tried"), auto_now=True)
    refund_time = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        db_table = "tb_payment_refund"
        ordering = ["-create_time", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.UniqueConstraint(fields=["payment", "out_request_no"], name="refund_one_request_per_payment"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "update_time"], name="refund_status_idx")]

    def __str__(self) -> str:
        return self.out_request_no
