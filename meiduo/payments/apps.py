"""App configuration for payments."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payment gateways (Alipay, demo) and verified return/notify handling."""

    name = "meiduo.payments"
    label = "payments"
