"""`manage.py payments_settle`: settle payments whose notification went missing, now (the periodic job's work)."""

from typing import Any

from django.core.management.base import BaseCommand

from meiduo.payments.services import payments_settle_pending


class Command(BaseCommand):
    """Ask the gateway about every started, unconfirmed payment and settle the paid ones."""

    help = "Ask the payment gateway about unpaid orders whose payment started, and settle those it reports paid."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=200, help="at most this many orders (default 200)")

    def handle(self, *args: Any, **options: Any) -> None:
        settled = payments_settle_pending(limit=options["limit"])
        self.stdout.write(f"{settled} orders settled")
