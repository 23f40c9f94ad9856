"""App configuration for payments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payment gateways (Alipay, demo) and verified return/notify handling."""

    name = "meiduo.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from meiduo.payments import checks  # noqa: F401 - registers the system check
