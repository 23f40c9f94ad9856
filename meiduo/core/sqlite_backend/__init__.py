"""The embedded database engine: Django's SQLite backend with a fair, cooperative queue for write transactions."""
