"""`manage.py cancel_expired_orders`: cancel unpaid online-payment orders past ORDER_PAY_TIMEOUT (as the beat job)."""

from typing import Any

from django.core.management.base import BaseCommand

from meiduo.orders.lifecycle import orders_cancel_expired


class Command(BaseCommand):
    """Cancel expired unpaid orders and return their stock."""

    help = "Cancel unpaid online-payment orders older than ORDER_PAY_TIMEOUT and return their stock."

    def handle(self, *args: Any, **options: Any) -> None:
        cancelled = orders_cancel_expired()
        self.stdout.write(f"cancelled {cancelled} expired orders")
