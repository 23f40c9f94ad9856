"""App configuration for search."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """SKU full-text search with Chinese word segmentation (SQLite FTS5 or PostgreSQL)."""

    name = "meiduo.search"
    label = "search"

    def ready(self) -> None:
        """Keep the search documents in step with the catalog: goods announces changed SKUs (goods.signals)."""
        from meiduo.goods.signals import skus_changed
        from meiduo.search.services import search_index_schedule

        def schedule(sender: object, sku_ids: list[int], **kwargs: object) -> None:
            search_index_schedule(sku_ids=sku_ids)

        skus_changed.connect(schedule, weak=False, dispatch_uid="search-index-schedule")
