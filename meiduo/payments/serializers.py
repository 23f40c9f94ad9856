"""Shapes of the payment endpoints (API.md: Payment) for the schema."""

from rest_framework import serializers


class PaymentUrlSerializer(serializers.Serializer[dict[str, str]]):
    """GET orders/{order_id}/payment/: the gateway's signed page-pay URL."""

    alipay_url = serializers.CharField()


class PaymentStatusSerializer(serializers.Serializer[dict[str, str]]):
    """PUT payment/status/: the gateway's trade number of the accepted payment."""

    trade_id = serializers.CharField()
