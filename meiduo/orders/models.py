"""Orders and their lines: an address snapshot, amounts, status with its history times, and per-line reviews."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderInfo(models.Model):
    """One placed order. Its status only changes through meiduo.orders.lifecycle (conditional updates)."""

    class Status(models.IntegerChoices):
        UNPAID = 1, _("unpaid")
        UNSENT = 2, _("unsent")
        UNRECEIVED = 3, _("unreceived")
        UNCOMMENTED = 4, _("awaiting review")
        FINISHED = 5, _("finished")
        CANCELLED = 6, _("cancelled")

    class PayMethod(models.IntegerChoices):
        CASH = 1, _("cash on delivery")
        ALIPAY = 2, _("Alipay")

    class Carrier(models.TextChoices):
        """The carrier a shipped order travels with (its tracking number is theirs)."""

        SF = "sf", _("SF Express")
        ZTO = "zto", _("ZTO Express")
        YTO = "yto", _("YTO Express")
        YUNDA = "yunda", _("Yunda Express")
        STO = "sto", _("STO Express")
        EMS = "ems", _("China Post EMS")
        JD = "jd", _("JD Logistics")
        OTHER = "other", _("other carrier")

    order_id = models.CharField(_("order number"), max_length=32, primary_key=True)
    # No index of its own: order_user_time_idx (user, -create_time) serves every lookup by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("user"),
        db_index=False,
    )
    # Address snapshot: later edits or deletion of the address never change an order.
    receiver = models.CharField(_("receiver"), max_length=20)
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=20)
    district = models.CharField(_("district"), max_length=20)
    place = models.CharField(_("place"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=11)
    tel = models.CharField(_("telephone"), max_length=20, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    total_count = models.PositiveIntegerField(_("number of items"))
    total_amount = models.DecimalField(_("amount to pay (goods + freight)"), max_digits=12, decimal_places=2)
    freight = models.DecimalField(_("freight"), max_digits=10, decimal_places=2)
    pay_method = models.PositiveSmallIntegerField(_("payment method"), choices=PayMethod.choices)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    create_time = models.DateTimeField(_("placed at"), auto_now_add=True)
    update_time = models.DateTimeField(_("updated"), auto_now=True)
    pay_time = models.DateTimeField(_("paid at"), null=True, blank=True)
    send_time = models.DateTimeField(_("shipped at"), null=True, blank=True)
    receive_time = models.DateTimeField(_("received at"), null=True, blank=True)
    finish_time = models.DateTimeField(_("finished at"), null=True, blank=True)
    cancel_time = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The buyer removed a closed order from their list (services.order_hide): the order itself is kept.
    is_hidden = models.BooleanField(_("removed from the buyer's list"), default=False)
    # Set when the warehouse ships the order (meiduo.orders.lifecycle.order_ship); shown to the shopper.
    carrier = models.CharField(_("carrier"), max_length=8, choices=Carrier.choices, blank=True, default="")
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True, default="")

    class Meta:
        db_table = "tb_order_info"
        ordering = ["-create_time", "-order_id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        # Staff actions beyond Django's four (the roles of meiduo.operations give them out).
        permissions = [("ship_orderinfo", _("Can ship orders")), ("cancel_orderinfo", _("Can cancel orders"))]
        indexes = [
            models.Index(fields=["user", "-create_time"], name="order_user_time_idx"),
            models.Index(fields=["status", "pay_method", "create_time"], name="order_status_time_idx"),
        ]

    def __str__(self) -> str:
        return self.order_id


class OrderGoods(models.Model):
    """One line of an order: the SKU, how many, the price paid, and the buyer's review of it."""

    # No index of their own (each is written at every placement): the unique (order, sku) constraint's index
    # serves lookups by order, order_goods_reviews_idx (sku, …) those by SKU.
    order = models.ForeignKey(
        OrderInfo, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"), db_index=False
    )
    sku = models.ForeignKey(
        "goods.SKU", on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("SKU"), db_index=False
    )
    count = models.PositiveIntegerField(_("count"))
    price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    comment = models.TextField(_("review"), blank=True, default="")
    score = models.PositiveSmallIntegerField(_("score"), default=5)
    is_anonymous = models.BooleanField(_("anonymous review"), default=False)
    is_commented = models.BooleanField(_("reviewed"), default=False)
    comment_time = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    create_time = models.DateTimeField(_("created"), auto_now_add=True)
    update_time = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "tb_order_goods"
        ordering = ["id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "sku"], name="order_goods_one_line_per_sku"),
            models.CheckConstraint(condition=models.Q(score__lte=5), name="order_goods_score_0_5"),
        ]
        indexes = [models.Index(fields=["sku", "is_commented", "comment_time"], name="order_goods_reviews_idx")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.sku_id} × {self.count}"
