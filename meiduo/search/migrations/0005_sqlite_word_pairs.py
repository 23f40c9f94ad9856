"""SQLite: the FTS5 index also holds each pair of a document's words, so a multi-word query reads short lists.

A query of several common words made FTS5 intersect long word lists (华为 and
手机: 34 000 and 55 000 documents at 1M SKUs for 1 852 hits; 小米, note and
12: 34 000, 96 000 and 10 000 for 41), and a list of compact entries is read
nearly whole however short the other is. Each document is now also indexed by
one token per pair of its words, both marked by where they are: "a" and "b"
with a < b give mark(a) a mark(b) b, the marks of `terms` ("in the title",
"only in the caption"). backends.SQLiteFTS5Backend asks for every "all of these
words" of two or more words as pairs; a pair's list holds only the documents
with both words, so results and order stay the same.

The triggers compute the pairs from `terms` (json_each splits the words: they
are letters and digits only, never a quote or a backslash; a window function
lists the words after each, so the words are split once); they are kept in
the index only, so the FTS5 table is now contentless (nothing reads columns
from it). The index is rebuilt here (minutes per million SKUs); a no-op on
other databases.
"""
# ruff: noqa: S608 - the statements are made of this module's constants and column names only

from importlib import import_module

from django.db import migrations

ranked = import_module("meiduo.search.migrations.0003_ranked_documents")

MARKS = (0xE000, 0xE001)  # meiduo.search.segment's TITLE_MARK and CAPTION_MARK when this was written


def indexed(terms: str) -> str:
    """SQL of the text FTS5 indexes for a document's `terms` (a column): the terms, then for each marked word `a`
    (in the order of the words without their marks) the pair tokens `a` + `b` of every marked word `b` after it,
    made from the list of those words (`later`) by one replace."""
    marked_words = f"""
        SELECT value, group_concat(value, ' ') OVER (
            ORDER BY substr(value, 2) ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
        ) AS later
        FROM json_each('["' || replace({terms}, ' ', '","') || '"]') WHERE unicode(value) IN {MARKS}
    """
    pairs = f"SELECT group_concat(value || replace(later, ' ', ' ' || value), ' ') FROM ({marked_words}) WHERE later != ''"
    return f"{terms} || ' ' || coalesce(({pairs}), '')"


FORWARD = [
    *ranked.OLD_SQLITE,
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        terms, content='', columnsize=0, detail='none', tokenize='unicode61 remove_diacritics 0'
    )
    """,
    f"""
    CREATE TRIGGER search_fts_ai AFTER INSERT ON tb_search_document BEGIN
        INSERT INTO search_fts(rowid, terms) VALUES (new.rank_key, {indexed("new.terms")});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_ad AFTER DELETE ON tb_search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.rank_key, {indexed("old.terms")});
    END
    """,
    f"""
    CREATE TRIGGER search_fts_au AFTER UPDATE OF terms, rank_key ON tb_search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.rank_key, {indexed("old.terms")});
        INSERT INTO search_fts(rowid, terms) VALUES (new.rank_key, {indexed("new.terms")});
    END
    """,
    f"INSERT INTO search_fts(rowid, terms) SELECT rank_key, {indexed('terms')} FROM tb_search_document",
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
]
BACKWARD = [
    *ranked.OLD_SQLITE,
    *ranked.NEW_SQLITE,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0004_mysql_fulltext")]

    operations = [
        migrations.RunPython(
            ranked.run_for_vendor("sqlite", FORWARD), ranked.run_for_vendor("sqlite", BACKWARD), elidable=False
        ),
    ]
