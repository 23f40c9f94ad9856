"""The MySQL / MariaDB full-text structure: a stored column generated from the terms, and a FULLTEXT index on it.

InnoDB's parser (the default one) splits words at the private-use characters
that mark title and caption words in `terms`, ignores words under
innodb_ft_min_token_size characters (3 by default) and English stop words. So
`ft_terms` writes every word with a two-character prefix of word characters:
"__" for a word, "_t" for a title word (mark U+E000), "_c" for a caption-only
word (mark U+E001). Words are letters and digits only, so the prefixes never
clash, and a server with default settings finds every word
(backends.MySQLFullTextBackend renders queries the same way). A no-op on every
other database.
"""

from importlib import import_module

from django.db import migrations

run_for_vendor = import_module("meiduo.search.migrations.0003_ranked_documents").run_for_vendor

TITLE_MARK, CAPTION_MARK = "\ue000", "\ue001"  # meiduo.search.segment's marks when this was written
MYSQL_FORWARD = [
    f"""
    ALTER TABLE tb_search_document ADD COLUMN ft_terms LONGTEXT GENERATED ALWAYS AS (
        CONCAT('__', REPLACE(REPLACE(REPLACE(terms, ' ', ' __'), '__{TITLE_MARK}', '_t'), '__{CAPTION_MARK}', '_c'))
    ) STORED
    """,
    "CREATE FULLTEXT INDEX search_document_ft_idx ON tb_search_document (ft_terms)",
]
MYSQL_BACKWARD = [
    "DROP INDEX search_document_ft_idx ON tb_search_document",
    "ALTER TABLE tb_search_document DROP COLUMN ft_terms",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_ranked_documents")]

    operations = [
        migrations.RunPython(
            run_for_vendor("mysql", MYSQL_FORWARD),
            run_for_vendor("mysql", MYSQL_BACKWARD),
            atomic=False,  # MySQL commits around DDL: Django refuses it inside a transaction
            elidable=False,
        ),
    ]
