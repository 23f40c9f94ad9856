"""Search backends behind one small interface, chosen by the SEARCH_BACKEND setting.

Ranking (every engine): a result list is cut into tiers by how many of the
query's words are in the document's title (SKU, SPU, brand and category names)
rather than only in its caption — more first; within a tier, by the document's
static rank key (sales when indexed, highest first, then SKU id). Each tier is
one full-text expression of marked words (services.document_terms: "in the
title", "only in the caption") walked in rank-key order and stopped as soon as
the page is full, so a query reads about offset + page size hits, not every hit. A tier's page is read with the
SKU columns the caller asks for in the same statement; hits before the page's offset are passed over without them.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import combinations, pairwise
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from meiduo.core.dbrouter import lag_tolerant_rows
from meiduo.core.sql import dialect
from meiduo.goods.selectors import NO_FILTER, SKUFilter
from meiduo.search.segment import CAPTION_MARK, TITLE_MARK

# Up to this many words, every "j words in the title" tier is its own tier; beyond, two tiers:
# all words in the title, then the rest.
MAX_TIERED_WORDS = 3
# Up to this many words, SQLite asks for the pairs of them whose lists are shortest (2 or 3 of the 6); beyond, for
# the pairs of neighbours.
MAX_PAIRED_WORDS = 4
# A pair's list is counted up to this many documents to choose the shortest pairs (`_pair_cover`).
PAIR_SIZE_BOUND = 5000
SKU_ID_MASK = 2**32 - 1


ANYWHERE, IN_TITLE, ONLY_IN_CAPTION = "", TITLE_MARK, CAPTION_MARK
# The marks a document's word can carry in the index where the query wants it.
MARKS_FOR = {ANYWHERE: (TITLE_MARK, CAPTION_MARK), IN_TITLE: (TITLE_MARK,), ONLY_IN_CAPTION: (CAPTION_MARK,)}
# SQL conditions on the SKU table `s` and their parameters (goods.selectors.SKUFilter.conditions).
Conditions = tuple[list[str], list[Any]]


@dataclass(frozen=True)
class Word:
    """A query word, anywhere in the document, in its title or only in its caption (`where`: a mark)."""

    word: str
    where: str = ANYWHERE


@dataclass(frozen=True)
class AllOf:
    """Every part matches."""

    parts: tuple["Expr", ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one part matches."""

    parts: tuple["Expr", ...]


Expr = Word | AllOf | AnyOf


def match_all(words: list[str]) -> Expr:
    """Documents holding every word (the result set)."""
    return AllOf(tuple(Word(word) for word in words))


def _exactly_in_title(words: list[str], title_words: tuple[str, ...]) -> Expr:
    return AllOf(tuple(Word(word, IN_TITLE if word in title_words else ONLY_IN_CAPTION) for word in words))


def ranked_tiers(words: list[str]) -> list[Expr]:
    """The result set cut into disjoint tiers, best first: all words in the title, then one fewer, …"""
    if len(words) > MAX_TIERED_WORDS:
        some_only_in_caption = AnyOf(tuple(Word(word, ONLY_IN_CAPTION) for word in words))
        return [AllOf(tuple(Word(word, IN_TITLE) for word in words)), AllOf((match_all(words), some_only_in_caption))]
    return [
        AnyOf(tuple(_exactly_in_title(words, chosen) for chosen in combinations(words, size)))
        for size in range(len(words), -1, -1)
    ]


class SearchBackend(ABC):
    """Find on-sale SKUs whose search document holds every query word, best match first."""

    vendor: str
    # FROM of the documents, the condition matching a query (its one parameter), the rank key and SKU id of a hit
    documents: str
    match: str
    rank_key: str
    sku_id: str

    def _checked(self, vendor: str, sql: str) -> str:
        """The statement for the database it is about to run on, if that is this backend's engine (the SKU
        conditions quote "identifiers", which MySQL writes `quoted`)."""
        if vendor != self.vendor:
            raise ImproperlyConfigured(
                f"SEARCH_BACKEND={settings.SEARCH_BACKEND} needs a {self.vendor} database, not {vendor}."
            )
        return dialect(vendor, sql)

    def _fetch(self, sql: str, params: list[Any]) -> list[tuple[object, ...]]:
        """The rows of a search statement, read on a replica when there is one (search tolerates lag)."""
        return lag_tolerant_rows(sql, params, adapt=self._checked)

    def count(self, words: list[str], limit: int | None = None, narrow: SKUFilter = NO_FILTER) -> int:
        """How many on-sale SKUs match all the words (counting stops at `limit` when given), narrowed."""
        return self._count(_query_texts(self, tuple(words))[0], limit, narrow.conditions("s"))

    def rows(
        self,
        words: list[str],
        offset: int,
        limit: int,
        *,
        columns: str,
        total: int | None = None,
        narrow: SKUFilter = NO_FILTER,
    ) -> list[tuple[object, ...]]:
        """`columns` of the SKU `s` of a page of matching on-sale SKUs, best first; `total`, the count when known,
        spares empty tiers."""
        found: list[tuple[object, ...]] = []
        skip = offset
        conditions = narrow.conditions("s")
        for query in _query_texts(self, tuple(words))[1]:
            if len(found) == limit or (total is not None and offset + len(found) >= total):
                break
            rows = self._tier_rows(query, columns, limit - len(found), skip, conditions)
            if rows:
                found += rows
                skip = 0
            elif skip:  # the page starts past this tier: how far past is its size (up to `skip`)
                skip -= self._count(query, skip, conditions)
        return found

    @abstractmethod
    def render(self, expr: Expr) -> str:
        """The engine's query text for an expression."""

    def _hits(self, narrow: Conditions, *, sku: bool = False) -> str:
        """FROM and WHERE of the documents matching a query (its one parameter) and the conditions on their SKU `s`
        (whose parameters follow), joined to `s` when there are conditions or `sku` asks for its columns."""
        conditions, _params = narrow
        joined = f" JOIN tb_sku s ON s.id = {self.sku_id}" if sku or conditions else ""
        return f"FROM {self.documents}{joined} WHERE " + " AND ".join([self.match, *conditions])

    def _count(self, query: str, limit: int | None, narrow: Conditions) -> int:
        """Documents matching the query text and the conditions on their SKU `s`, at most `limit` when given."""
        hits, params = self._hits(narrow), [query, *narrow[1]]
        if limit is None:
            rows = self._fetch(f"SELECT COUNT(*) {hits}", params)
        else:
            rows = self._fetch(f"SELECT COUNT(*) FROM (SELECT 1 {hits} LIMIT %s) hits", [*params, limit])
        return int(rows[0][0])  # type: ignore[call-overload]

    def _tier_rows(
        self, query: str, columns: str, limit: int, skip: int, narrow: Conditions
    ) -> list[tuple[object, ...]]:
        """`columns` of the SKUs `s` of the documents matching the query text and the conditions, in rank order,
        the first `skip` left out, at most `limit`. The left-out hits are read without their SKU rows (at page 20,
        joining 380 SKUs only to drop them tripled the statement's time)."""
        if not skip:
            statement = f"SELECT {columns} {self._hits(narrow, sku=True)} ORDER BY {self.rank_key} LIMIT %s"
            return self._fetch(statement, [query, *narrow[1], limit])
        page = (
            f"SELECT {self.rank_key} AS rank_key, {self.sku_id} AS sku_id {self._hits(narrow)}"
            f" ORDER BY {self.rank_key} LIMIT %s OFFSET %s"
        )
        statement = f"SELECT {columns} FROM ({page}) h JOIN tb_sku s ON s.id = h.sku_id ORDER BY h.rank_key"
        return self._fetch(statement, [query, *narrow[1], limit, skip])


@lru_cache(maxsize=4096)
def _query_texts(backend: SearchBackend, words: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The backend's query text of the result set of the words and of each of its tiers, best first (remembered:
    rendering them was 30 µs of a 700-µs answer, and shoppers search the same words)."""
    return backend.render(match_all(list(words))), tuple(backend.render(tier) for tier in ranked_tiers(list(words)))


class SQLiteFTS5Backend(SearchBackend):
    """SQLite FTS5 (no positions) whose rowid is the rank key: a tier is read in rowid order and stopped.

    The index also holds, for each pair of a document's words, one token of both words marked by where they are
    (search migration 0005): "\ue000华为\ue000手机" is in the documents with both words in their title. Several
    words are asked for as pairs, whose lists hold only the documents with both words (华为 手机 at 1M SKUs:
    1 852 entries instead of 34 000 and 55 000 to intersect); one word as itself.
    """

    vendor = "sqlite"
    documents = "search_fts"
    match = "search_fts MATCH %s"
    rank_key = "search_fts.rowid"
    sku_id = f"(search_fts.rowid & {SKU_ID_MASK})"

    def render(self, expr: Expr) -> str:
        """An FTS5 query; words are letters and digits only, each quoted as a literal phrase anyway."""
        match expr:
            case Word(word, where):
                return '"{}{}"'.format(where, word.replace('"', '""'))
            case AllOf(parts) if len(parts) > 1 and all(isinstance(part, Word) for part in parts):
                by_word = {part.word: part for part in parts if isinstance(part, Word)}
                pairs = _pair_cover(self, tuple(sorted(by_word)))
                return "(" + " AND ".join(self._pair(by_word[first], by_word[second]) for first, second in pairs) + ")"
            case AllOf(parts):
                return "(" + " AND ".join(self.render(part) for part in parts) + ")"
            case AnyOf(parts):
                return "(" + " OR ".join(self.render(part) for part in parts) + ")"
        raise TypeError(expr)

    @staticmethod
    def _pair(first: Word, second: Word) -> str:
        """Documents holding both words where asked (`first` sorts before `second`): any of the pair's tokens
        with the marks allowed, as every word of a document is marked either "in the title" or "only in the
        caption"."""
        tokens = [
            '"{}{}{}{}"'.format(first_mark, first.word.replace('"', '""'), second_mark, second.word.replace('"', '""'))
            for first_mark in MARKS_FOR[first.where]
            for second_mark in MARKS_FOR[second.where]
        ]
        return tokens[0] if len(tokens) == 1 else "(" + " OR ".join(tokens) + ")"

    def pair_size(self, first: str, second: str) -> int:
        """How many documents hold both words (`first` sorts before `second`), counted up to PAIR_SIZE_BOUND."""
        query = self._pair(Word(first), Word(second))
        statement = f"SELECT COUNT(*) FROM (SELECT 1 {self._hits(([], []))} LIMIT %s) hits"
        return int(self._fetch(statement, [query, PAIR_SIZE_BOUND])[0][0])  # type: ignore[call-overload]

    def count(self, words: list[str], limit: int | None = None, narrow: SKUFilter = NO_FILTER) -> int:
        """As the base class counts; the hits of one word or one pair (two words) up to a limit, not narrowed, are
        counted in about half the time: FTS5 hits read through a LIMIT subquery cost a co-routine step each (110 µs
        for 1000 at 100k SKUs; 华为 手机 at 1M, 96 µs), so whether the limit-th hit exists is read with OFFSET (60 µs;
        64 µs), and the hits are counted only when it does not (then 10-20 µs more than one walk). Three words or
        more (an intersection of lists, whose walk costs more than the step per hit) and narrowed lists (a SKU row
        per hit) keep the one bounded walk: walked twice, a list of fewer hits than the limit cost up to twice as
        much (冰川白 手机 旗舰版: 0.87 → 1.8 ms)."""
        if len(words) > 2 or limit is None or limit < 1 or narrow != NO_FILTER:
            return super().count(words, limit, narrow)
        query, hits = _query_texts(self, tuple(words))[0], self._hits(([], []))
        statement = f"SELECT coalesce((SELECT %s {hits} LIMIT 1 OFFSET %s), (SELECT COUNT(*) {hits}))"
        return int(self._fetch(statement, [limit, query, limit - 1, query])[0][0])  # type: ignore[call-overload]


@lru_cache(maxsize=4096)
def _pair_cover(backend: SQLiteFTS5Backend, words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The pairs of the (sorted, distinct) words a document holding all of them is asked for.

    Every word in some pair is enough: a document holds a pair's token only if it holds both words. Up to
    MAX_PAIRED_WORDS words, the pairs whose lists are shortest in all (`pair_size`, read once per query words
    and process; a stale size costs time, never a hit): FTS5 walks every list of an intersection, so 小米 Max 53
    at 1M SKUs read its pairs' 960 + 364 + 3 235 entries where 960 + 364 answer the same (234 → 94 µs). Beyond,
    the pairs of neighbours.
    """
    if len(words) > MAX_PAIRED_WORDS:
        return tuple(pairwise(words))
    pairs = list(combinations(words, 2))
    if len(pairs) == 1:
        return tuple(pairs)
    sizes = {pair: backend.pair_size(*pair) for pair in pairs}
    covers = (
        chosen
        for many in range((len(words) + 1) // 2, len(pairs) + 1)  # n words need at least n/2 pairs
        for chosen in combinations(pairs, many)
        if {word for pair in chosen for word in pair} == set(words)
    )
    return min(covers, key=lambda chosen: sum(sizes[pair] for pair in chosen))


class PostgresFullTextBackend(SearchBackend):
    """PostgreSQL full text: a GIN index on the terms' tsvector, a btree on the rank key; the planner picks."""

    vendor = "postgresql"
    documents = "tb_search_document d"
    match = "d.tsv @@ %s::tsquery"
    rank_key = "d.rank_key"
    sku_id = "d.sku_id"

    def render(self, expr: Expr) -> str:
        """A tsquery text of quoted lexemes (words are letters and digits only, so they never hold a quote)."""
        match expr:
            case Word(word, where):
                return "'{}{}'".format(where, word.replace("'", "''"))
            case AllOf(parts):
                return "(" + " & ".join(self.render(part) for part in parts) + ")"
            case AnyOf(parts):
                return "(" + " | ".join(self.render(part) for part in parts) + ")"
        raise TypeError(expr)


class MySQLFullTextBackend(SearchBackend):
    """MySQL / MariaDB: an InnoDB FULLTEXT index (default parser) on `ft_terms`, a stored column the database
    generates from the terms (search migration 0004), matched in boolean mode and sorted by the rank key.

    `ft_terms` is the terms with every word prefixed: "__" (anywhere), "_t" (in the title), "_c" (only in the
    caption). The parser would split a marked word at its private-use mark; the prefixes are word characters
    instead, and make every indexed word at least three characters long and never a stop word, so a server with
    default settings (innodb_ft_min_token_size 3, the English stop word list) loses no Chinese word of one or two
    characters and no "the" or "of" (docs/operations.md). A word longer than innodb_ft_max_token_size (84
    characters) is not indexed.

    InnoDB adds a document to its FULLTEXT index when the transaction writing it commits: an uncommitted document
    is not found, even by the transaction that wrote it (the services index after commit anyway).
    A tier's hits are all read from the index then sorted (MySQL cannot walk another index in rank order and
    test the words): fine for a catalog's words, slower than PostgreSQL's walk for a word in most documents.
    """

    vendor = "mysql"
    documents = "tb_search_document d"
    match = "MATCH (d.ft_terms) AGAINST (%s IN BOOLEAN MODE)"
    rank_key = "d.rank_key"
    sku_id = "d.sku_id"
    PREFIXES = {ANYWHERE: "__", IN_TITLE: "_t", ONLY_IN_CAPTION: "_c"}

    def render(self, expr: Expr) -> str:
        """A boolean-mode query, the expression required (`+`); words are letters and digits only, never an
        operator."""
        return "+" + self._group(expr)

    def _group(self, expr: Expr) -> str:
        match expr:
            case Word(word, where):
                return self.PREFIXES[where] + word
            case AllOf(parts):
                return "(" + " ".join("+" + self._group(part) for part in parts) + ")"
            case AnyOf(parts):
                return "(" + " ".join(self._group(part) for part in parts) + ")"
        raise TypeError(expr)


BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": SQLiteFTS5Backend,
    "postgres": PostgresFullTextBackend,
    "mysql": MySQLFullTextBackend,
}


@cache
def get_backend(name: str | None = None) -> SearchBackend:
    """The backend named (default: settings.SEARCH_BACKEND)."""
    name = name or settings.SEARCH_BACKEND
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ImproperlyConfigured(f"SEARCH_BACKEND must be one of {sorted(BACKENDS)}, not {name!r}") from None
