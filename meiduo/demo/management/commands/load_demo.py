"""`manage.py load_demo`: load the demo catalog once (a quick no-op when the catalog already has data)."""

from typing import Any

from django.core.management.base import BaseCommand

from meiduo.demo.catalog import demo_catalog_load
from meiduo.goods.models import SKU


class Command(BaseCommand):
    """Load the demo catalog: categories, channels, brands, SPUs/SKUs with pictures, home content, search index."""

    help = "Load the Chinese demo catalog with generated pictures (does nothing when the catalog has data)."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_catalog_load(progress=lambda step: self.stdout.write(f"  {step} …")):
            self.stdout.write(self.style.SUCCESS(f"Demo catalog loaded: {SKU.objects.count()} SKUs."))
        else:
            self.stdout.write("Catalog already present, nothing to load.")
