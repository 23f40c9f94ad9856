"""Management commands of compat: export_static_pages."""
