"""`manage.py rebuild_search_index`: re-segment every SKU into the search index, with a progress bar."""

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from meiduo.goods.caching import catalog_version_bump
from meiduo.goods.models import SKU
from meiduo.search.services import search_index_rebuild


class Command(BaseCommand):
    """Rebuild the search documents (and so the FTS5 table or GIN index) of every SKU."""

    help = "Rebuild the SKU search index from the catalog."

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(total=SKU.objects.count(), unit="SKU", desc="search index", file=self.stderr) as bar:
            total = search_index_rebuild(progress=bar.update)
        catalog_version_bump()
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} SKUs."))
