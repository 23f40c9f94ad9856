"""Order input validation and output shapes (API.md, Orders)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meiduo.carts.serializers import MAX_ID, CartItemSerializer
from meiduo.goods.models import SKU
from meiduo.goods.serializers import file_url
from meiduo.orders.models import OrderGoods, OrderInfo


class SettlementItemSerializer(CartItemSerializer):
    """A selected cart line: `{"id", "name", "default_image_url", "price", "count"}`."""

    selected = None  # type: ignore[assignment]


class SettlementSerializer(serializers.Serializer):
    """GET orders/settlement/: `{"freight", "skus"}`."""

    freight = serializers.DecimalField(max_digits=10, decimal_places=2)
    skus = SettlementItemSerializer(many=True)


class BuyNowSerializer(serializers.Serializer):
    """ "Buy now": `sku_id` (order that SKU alone, leaving the cart as it is) and `count` (default 1)."""

    sku_id = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Buy now: order this SKU alone; the cart is left as it is.",
    )
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, default=1, help_text="Units bought now (with sku_id)."
    )


class OrderCreateSerializer(BuyNowSerializer):
    """POST orders/: `address` (one of the user's address ids), `pay_method` (1 cash on delivery, 2 Alipay); the
    selected cart lines are ordered, or with `sku_id` only that SKU (`count` units, default 1).

    Anything else the client sends (prices, totals, status) is ignored.
    """

    address = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    pay_method = serializers.ChoiceField(choices=OrderInfo.PayMethod.choices)


class OrderCreatedSerializer(serializers.Serializer):
    """`{"order_id"}`."""

    order_id = serializers.CharField()


class SKUBriefSerializer(serializers.ModelSerializer):
    """`{"id", "name", "default_image_url"}` of an SKU."""

    default_image_url = serializers.SerializerMethodField()

    class Meta:
        model = SKU
        fields = ("id", "name", "default_image_url")
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_default_image_url(self, sku: SKU) -> str | None:
        return file_url(sku.default_image)


class OrderLineSerializer(serializers.ModelSerializer):
    """A line of an order: `{"id", "name", "default_image_url", "price", "count"}` (the price paid)."""

    id = serializers.IntegerField(source="sku.id", read_only=True)
    name = serializers.CharField(source="sku.name", read_only=True)
    default_image_url = serializers.SerializerMethodField()

    class Meta:
        model = OrderGoods
        fields = ("id", "name", "default_image_url", "price", "count")
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_default_image_url(self, line: OrderGoods) -> str | None:
        return file_url(line.sku.default_image)


class OrderRefundSerializer(serializers.Serializer):
    """The refund of a cancelled paid order: `{"status": "refunding" | "refunded", "amount"}`."""

    status = serializers.ChoiceField(choices=["refunding", "refunded"], source="refund_status")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, source="refund_amount")


class OrderShipmentSerializer(serializers.Serializer):
    """How a shipped order travels: `{"carrier": "sf" | "zto" | …, "tracking_number"}`."""

    carrier = serializers.ChoiceField(choices=OrderInfo.Carrier.choices)
    tracking_number = serializers.CharField()


class OrderSerializer(serializers.ModelSerializer):
    """An order in the list: `{"order_id", "create_time", "total_count", "total_amount", "freight", "pay_method",
    "status", "skus", "refund", "shipment"}`; `refund` is null unless a paid order was cancelled, `shipment` null
    until the order is shipped with a carrier."""

    skus = OrderLineSerializer(source="lines", many=True, read_only=True)
    refund = serializers.SerializerMethodField()
    shipment = serializers.SerializerMethodField()

    class Meta:
        model = OrderInfo
        fields: tuple[str, ...] = (
            "order_id",
            "create_time",
            "total_count",
            "total_amount",
            "freight",
            "pay_method",
            "status",
            "skus",
            "refund",
            "shipment",
        )
        read_only_fields = fields

    @extend_schema_field(OrderRefundSerializer(allow_null=True))
    def get_refund(self, order: OrderInfo) -> dict[str, object] | None:
        if getattr(order, "refund_status", None) is None:
            return None
        return dict(OrderRefundSerializer(order).data)

    @extend_schema_field(OrderShipmentSerializer(allow_null=True))
    def get_shipment(self, order: OrderInfo) -> dict[str, object] | None:
        if not order.carrier:
            return None
        return dict(OrderShipmentSerializer(order).data)


class OrderAddressSerializer(serializers.ModelSerializer):
    """The address snapshot kept with the order."""

    class Meta:
        model = OrderInfo
        fields = ("receiver", "province", "city", "district", "place", "mobile", "tel", "email")
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    """One order: the list fields plus the address snapshot, the time of each status change and `is_hidden` (the
    buyer removed it from their list)."""

    address = OrderAddressSerializer(source="*", read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = (
            *OrderSerializer.Meta.fields,
            "address",
            "pay_time",
            "send_time",
            "receive_time",
            "finish_time",
            "cancel_time",
            "is_hidden",
        )
        read_only_fields = fields


class UncommentedLineSerializer(serializers.ModelSerializer):
    """GET orders/{order_id}/uncommentgoods/: `{"sku": {"id", "name", "default_image_url"}, "price", "count"}`."""

    sku = SKUBriefSerializer(read_only=True)

    class Meta:
        model = OrderGoods
        fields = ("sku", "price", "count")
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    """POST orders/{order_id}/comments/: `order`, `sku`, `comment` (≥ 5 characters), `score` (0–5), `is_anonymous`."""

    order = serializers.CharField(max_length=32)
    sku = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    comment = serializers.CharField(min_length=5, max_length=1000)
    score = serializers.IntegerField(min_value=0, max_value=5)
    is_anonymous = serializers.BooleanField(default=False)

    def validate_order(self, value: str) -> str:
        if value != self.context["order_id"]:
            raise serializers.ValidationError(_("This review belongs to another order."))
        return value


class CommentSerializer(serializers.Serializer):
    """A review of an SKU; `username` is masked when the review is anonymous."""

    username = serializers.CharField()
    comment = serializers.CharField()
    score = serializers.IntegerField()
    create_time = serializers.DateTimeField()
