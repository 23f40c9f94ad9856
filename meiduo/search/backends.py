"""Search backends behind one small interface, chosen by the SEARCH_BACKEND setting."""

from abc import ABC, abstractmethod
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from meiduo.core.dbrouter import read_alias


class SearchBackend(ABC):
    """Find on-sale SKU ids whose search document holds every query word, best match first."""

    vendor: str

    def connection_alias(self) -> str:
        """The database to read from (a replica when one is configured)."""
        alias = read_alias()
        if connections[alias].vendor != self.vendor:
            raise ImproperlyConfigured(
                f"SEARCH_BACKEND={settings.SEARCH_BACKEND} needs a {self.vendor} database, "
                f"not {connections[alias].vendor}."
            )
        return alias

    def _fetch(self, sql: str, params: list[str | int]) -> list[tuple[object, ...]]:
        with connections[self.connection_alias()].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    @abstractmethod
    def count(self, words: list[str]) -> int:
        """How many on-sale SKUs match all the words."""

    @abstractmethod
    def ids(self, words: list[str], offset: int, limit: int) -> list[int]:
        """A page of matching on-sale SKU ids, most relevant first (ties: by id)."""


class SQLiteFTS5Backend(SearchBackend):
    """SQLite FTS5 over the segmented words, ranked by bm25."""

    vendor = "sqlite"

    @staticmethod
    def match(words: list[str]) -> str:
        """An FTS5 query requiring each word, each quoted as a literal phrase."""
        return " AND ".join('"{}"'.format(word.replace('"', '""')) for word in words)

    def count(self, words: list[str]) -> int:
        rows = self._fetch(
            "SELECT COUNT(*) FROM search_fts JOIN tb_sku ON tb_sku.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND tb_sku.is_launched",
            [self.match(words)],
        )
        return int(rows[0][0])  # type: ignore[call-overload]

    def ids(self, words: list[str], offset: int, limit: int) -> list[int]:
        rows = self._fetch(
            "SELECT search_fts.rowid FROM search_fts JOIN tb_sku ON tb_sku.id = search_fts.rowid "
            "WHERE search_fts MATCH %s AND tb_sku.is_launched "
            "ORDER BY search_fts.rank, search_fts.rowid LIMIT %s OFFSET %s",
            [self.match(words), limit, offset],
        )
        return [int(row[0]) for row in rows]  # type: ignore[call-overload]


class PostgresFullTextBackend(SearchBackend):
    """PostgreSQL full text ('simple' configuration over the segmented words, GIN index), ranked by ts_rank."""

    vendor = "postgresql"

    def count(self, words: list[str]) -> int:
        rows = self._fetch(
            "SELECT COUNT(*) FROM tb_search_document JOIN tb_sku ON tb_sku.id = tb_search_document.sku_id "
            "WHERE to_tsvector('simple'::regconfig, tb_search_document.text) "
            "@@ plainto_tsquery('simple'::regconfig, %s) AND tb_sku.is_launched",
            [" ".join(words)],
        )
        return int(rows[0][0])  # type: ignore[call-overload]

    def ids(self, words: list[str], offset: int, limit: int) -> list[int]:
        rows = self._fetch(
            "SELECT tb_search_document.sku_id FROM tb_search_document "
            "JOIN tb_sku ON tb_sku.id = tb_search_document.sku_id, plainto_tsquery('simple'::regconfig, %s) query "
            "WHERE to_tsvector('simple'::regconfig, tb_search_document.text) @@ query AND tb_sku.is_launched "
            "ORDER BY ts_rank(to_tsvector('simple'::regconfig, tb_search_document.text), query) DESC, "
            "tb_search_document.sku_id LIMIT %s OFFSET %s",
            [" ".join(words), limit, offset],
        )
        return [int(row[0]) for row in rows]  # type: ignore[call-overload]


BACKENDS: dict[str, type[SearchBackend]] = {"sqlite": SQLiteFTS5Backend, "postgres": PostgresFullTextBackend}


@cache
def get_backend(name: str | None = None) -> SearchBackend:
    """The backend named (default: settings.SEARCH_BACKEND)."""
    name = name or settings.SEARCH_BACKEND
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ImproperlyConfigured(f"SEARCH_BACKEND must be one of {sorted(BACKENDS)}, not {name!r}") from None
