"""Ranked search documents: title and caption words, a static rank key, on-sale SKUs only.

Replaces the document ranked per query by bm25 / ts_rank (which read every
hit) with documents an engine reads in rank order: on SQLite an FTS5 table
(no positions) whose rowid is the rank key; on PostgreSQL a tsvector column
generated from the terms (no parser: the words are the lexemes) with a GIN
index, and a unique btree on the rank key that includes the tsvector. (On
SQLite the FTS5 rowid is the only index the rank key needs.) Each vendor step is a no-op elsewhere.
The documents are rebuilt from the catalog at the end (minutes for a million SKUs).
"""

from importlib import import_module

from django.db import migrations, models

previous = import_module("meiduo.search.migrations.0002_fulltext_indexes")

OLD_SQLITE = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
OLD_POSTGRES = ["DROP INDEX IF EXISTS search_document_tsv_idx"]

NEW_SQLITE = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        terms, content='tb_search_document', content_rowid='rank_key', columnsize=0, detail='none',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER search_fts_ai AFTER INSERT ON tb_search_document BEGIN
        INSERT INTO search_fts(rowid, terms) VALUES (new.rank_key, new.terms);
    END
    """,
    """
    CREATE TRIGGER search_fts_ad AFTER DELETE ON tb_search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.rank_key, old.terms);
    END
    """,
    """
    CREATE TRIGGER search_fts_au AFTER UPDATE OF terms, rank_key ON tb_search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.rank_key, old.terms);
        INSERT INTO search_fts(rowid, terms) VALUES (new.rank_key, new.terms);
    END
    """,
]
NEW_POSTGRES = [
    """
    ALTER TABLE tb_search_document ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (array_to_tsvector(string_to_array(terms, ' '))) STORED
    """,
    "CREATE INDEX search_document_tsv_idx ON tb_search_document USING GIN (tsv)",
    # Track (nearly) every word's frequency, so the planner walks the rank index only for common words.
    "ALTER TABLE tb_search_document ALTER COLUMN tsv SET STATISTICS 1000",
    # The walk in rank order tests each document's words in the index itself (an index-only scan), not in the
    # table: 5x faster for a common word (services.MAX_TERMS keeps the entry under btree's size limit).
    "CREATE UNIQUE INDEX search_document_rank_key_idx ON tb_search_document (rank_key) INCLUDE (tsv)",
]
NEW_SQLITE_BACKWARD = OLD_SQLITE
NEW_POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS search_document_tsv_idx", "ALTER TABLE tb_search_document DROP COLUMN tsv"]


def run_for_vendor(vendor, statements):
    """A migration step executing `statements` only when the database is `vendor`."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for statement in statements:
                schema_editor.execute(statement)

    return run


def noop(apps, schema_editor):
    """Nothing to undo."""


def empty_documents(apps, schema_editor):
    """Documents of one shape cannot be kept in the other: rebuild_search_index refills them."""
    apps.get_model("search", "SearchDocument").objects.all().delete()


def build_documents(apps, schema_editor):
    """Index every on-sale SKU, in batches (same words and rank key as meiduo.search.services)."""
    from meiduo.search.services import REBUILD_BATCH, SOURCE_FIELDS, search_document_fields

    sku_model = apps.get_model("goods", "SKU")
    document_model = apps.get_model("search", "SearchDocument")
    last_id = 0
    while batch := list(
        sku_model.objects.filter(id__gt=last_id, is_launched=True).order_by("id").values_list(*SOURCE_FIELDS)[
            :REBUILD_BATCH
        ]
    ):
        document_model.objects.bulk_create([document_model(**search_document_fields(row)) for row in batch])
        last_id = batch[-1][0]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_indexes"), ("goods", "0001_initial")]

    operations = [
        migrations.RunPython(
            run_for_vendor("sqlite", OLD_SQLITE), run_for_vendor("sqlite", previous.SQLITE_FORWARD), elidable=False
        ),
        migrations.RunPython(
            run_for_vendor("postgresql", OLD_POSTGRES),
            run_for_vendor("postgresql", previous.POSTGRES_FORWARD),
            elidable=False,
        ),
        migrations.RunPython(empty_documents, noop, elidable=False),
        migrations.RemoveField(model_name="searchdocument", name="text"),
        migrations.AddField(
            model_name="searchdocument",
            name="terms",
            field=models.TextField(default="", verbose_name="indexed words"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="sales",
            field=models.PositiveIntegerField(default=0, verbose_name="sales when ranked"),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="rank_key",
            field=models.BigIntegerField(default=0, verbose_name="rank key"),
            preserve_default=False,
        ),
        migrations.RunPython(
            run_for_vendor("sqlite", NEW_SQLITE), run_for_vendor("sqlite", NEW_SQLITE_BACKWARD), elidable=False
        ),
        migrations.RunPython(
            run_for_vendor("postgresql", NEW_POSTGRES),
            run_for_vendor("postgresql", NEW_POSTGRES_BACKWARD),
            elidable=False,
        ),
        migrations.RunPython(build_documents, empty_documents, elidable=False),
    ]
