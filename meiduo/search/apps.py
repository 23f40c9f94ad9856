"""App configuration for search."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """SKU full-text search with Chinese word segmentation (SQLite FTS5 or PostgreSQL)."""

    name = "meiduo.search"
    label = "search"
