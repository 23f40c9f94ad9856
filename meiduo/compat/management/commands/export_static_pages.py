"""`manage.py export_static_pages [sku_id ...]`: write the notes' index.html and goods/<id>.html now."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from meiduo.compat import services


class Command(BaseCommand):
    """Export the notes' static pages now (all of them also records the catalog version they show)."""

    help = "Export the home page and the SKU detail pages (all, or the ids given) into COMPAT_STATIC_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sku_ids", nargs="*", type=int, help="only these SKUs (default: every SKU)")

    def handle(self, *args: Any, sku_ids: list[int], **options: Any) -> None:
        if sku_ids:
            written = services.static_pages_export(sku_ids=sku_ids)
        else:
            written = services.static_pages_refresh(force=True) or 0
        self.stdout.write(f"{written} detail pages and index.html in {settings.COMPAT_STATIC_DIR}")
