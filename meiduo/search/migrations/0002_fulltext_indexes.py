"""Full-text structures for the database in use: an FTS5 table on SQLite, a GIN index on PostgreSQL.

Each step runs only on its own database vendor and is a no-op elsewhere, so the
same migration history works on SQLite, PostgreSQL and MySQL.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        text, content='tb_search_document', content_rowid='sku_id', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_fts_ai AFTER INSERT ON tb_search_document BEGIN
        INSERT INTO search_fts(rowid, text) VALUES (new.sku_id, new.text);
    END
    """,
    """
    CREATE TRIGGER search_fts_ad AFTER DELETE ON tb_search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.sku_id, old.text);
    END
    """,
    """
    CREATE TRIGGER search_fts_au AFTER UPDATE ON tb_search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.sku_id, old.text);
        INSERT INTO search_fts(rowid, text) VALUES (new.sku_id, new.text);
    END
    """,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX search_document_tsv_idx ON tb_search_document USING GIN (to_tsvector('simple'::regconfig, text))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS search_document_tsv_idx"]


def run_for_vendor(vendor, statements):
    """A migration step executing `statements` only when the database is `vendor`."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_for_vendor("sqlite", SQLITE_FORWARD), run_for_vendor("sqlite", SQLITE_BACKWARD), elidable=False
        ),
        migrations.RunPython(
            run_for_vendor("postgresql", POSTGRES_FORWARD),
            run_for_vendor("postgresql", POSTGRES_BACKWARD),
            elidable=False,
        ),
    ]
