"""rebuild_search_index."""
