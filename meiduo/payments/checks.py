"""System check: the configured payment gateway can be set up (`manage.py check` reports a bad key at start)."""

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def payment_gateway_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """PAYMENT_GATEWAY names a gateway whose app id and keys load."""
    from meiduo.payments.gateways import get_gateway

    try:
        get_gateway()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="See docs/payments.md.", id="payments.E001")]
    return []
