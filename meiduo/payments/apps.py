"""App configuration for payments."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payment gateways (Alipay, demo) and verified return/notify handling."""

    name = "meiduo.payments"
    label = "payments"

    def ready(self) -> None:
        from meiduo.payments import checks  # noqa: F401 - registers the system check
