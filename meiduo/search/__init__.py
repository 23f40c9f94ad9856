"""SKU full-text search with Chinese word segmentation (SQLite FTS5 or PostgreSQL)."""
