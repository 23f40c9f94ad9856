"""Writes of the search index: (re)build the search documents of SKUs from their catalog data, refresh ranks."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from meiduo.goods.caching import catalog_version_bump
from meiduo.goods.models import SKU
from meiduo.search.models import SearchDocument
from meiduo.search.segment import CAPTION_MARK, TITLE_MARK, words_for_index

REBUILD_BATCH = 5000
SALES_CAP = 2**30
# A document holds at most this many tokens and bytes, so PostgreSQL's tsvector fits in a btree entry (2704 bytes).
MAX_TERMS, MAX_TERMS_BYTES = 160, 1600
# The catalog fields a document is made of, in the order `search_document_of` takes them.
SOURCE_FIELDS = ("id", "name", "caption", "sales", "spu__name", "spu__brand__name", "category__name")


def rank_key(*, sales: int, sku_id: int) -> int:
    """The document's place in every result list: more sales first, then the lower SKU id."""
    return ((SALES_CAP - min(sales, SALES_CAP)) << 32) | sku_id


def document_terms(*, title: str, caption: str) -> str:
    """The tokens a document is indexed by: every word, and each word again marked by where it is.

    A word of the title (SKU, SPU, brand, category names) is indexed as itself
    and as TITLE_MARK + itself; a word only in the caption as itself and as
    CAPTION_MARK + itself. "In the title" and "only in the caption" are then
    words of their own to both engines: every ranking tier is a plain AND/OR of
    words, with no column filter (positions) and no NOT (which would have to
    read every document holding the word). Words past MAX_TERMS tokens or
    MAX_TERMS_BYTES bytes (title words first) are left out.
    """
    title_words = list(dict.fromkeys(words_for_index(title)))
    caption_only = [word for word in dict.fromkeys(words_for_index(caption)) if word not in set(title_words)]
    kept: list[str] = []
    size = 0
    for mark, word in [*((TITLE_MARK, word) for word in title_words), *((CAPTION_MARK, word) for word in caption_only)]:
        size += 2 * len(word.encode()) + len(mark.encode()) + 2
        if len(kept) + 2 > MAX_TERMS or size > MAX_TERMS_BYTES:
            break
        kept += [word, mark + word]
    return " ".join(kept)


def search_document_fields(row: tuple[Any, ...]) -> dict[str, Any]:
    """The fields of an SKU's document from its `SOURCE_FIELDS` values: its tokens and its rank."""
    sku_id, name, caption, sales, spu_name, brand_name, category_name = row
    return {
        "sku_id": sku_id,
        "terms": document_terms(title=" ".join((name, spu_name, brand_name, category_name)), caption=caption),
        "sales": sales,
        "rank_key": rank_key(sales=sales, sku_id=sku_id),
    }


def _documents(rows: Iterable[tuple[Any, ...]]) -> list[SearchDocument]:
    return [SearchDocument(**search_document_fields(row)) for row in rows]


@transaction.atomic
def search_index_update(*, sku_ids: Iterable[int]) -> None:
    """Re-segment these SKUs into their search documents; SKUs off sale or gone lose theirs."""
    ids = sorted(set(sku_ids))
    if not ids:
        return
    SearchDocument.objects.filter(sku_id__in=ids).delete()
    rows = SKU.objects.filter(id__in=ids, is_launched=True).values_list(*SOURCE_FIELDS)
    SearchDocument.objects.bulk_create(_documents(rows))


def search_index_schedule(*, sku_ids: Iterable[int]) -> None:
    """Update these SKUs' documents once the current transaction commits (at once outside one)."""
    ids = list(sku_ids)
    if ids:
        transaction.on_commit(lambda: search_index_update(sku_ids=ids))


def search_index_rebuild(*, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild every search document from the catalog in batches; return how many on-sale SKUs were indexed.

    `progress` is told how many SKUs (on sale or not) each batch went through.
    """
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    total = 0
    last_id = 0
    while True:
        batch = list(
            SKU.objects.filter(id__gt=last_id).order_by("id").values_list(*SOURCE_FIELDS, "is_launched")[:REBUILD_BATCH]
        )
        if not batch:
            search_index_optimize()
            return total
        documents = _documents(row[:-1] for row in batch if row[-1])
        with transaction.atomic():
            SearchDocument.objects.bulk_create(documents)
        last_id = batch[-1][0]
        total += len(documents)
        if progress is not None:
            progress(len(batch))


def search_index_optimize() -> None:
    """After a bulk load: merge SQLite's FTS5 segments into one (about twice as fast to read), or VACUUM ANALYZE
    on PostgreSQL so the planner knows how common each word is (walk the rank index, or the GIN index then sort)
    and the walk can stay in the index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":  # VACUUM marks pages all-visible, for index-only scans
            cursor.execute(
                "ANALYZE tb_search_document" if connection.in_atomic_block else "VACUUM ANALYZE tb_search_document"
            )


def search_ranks_refresh(*, batch: int = REBUILD_BATCH) -> int:
    """Re-rank the documents whose SKU's sales changed since they were ranked; return how many moved.

    Orders and refunds change sales by atomic updates that do not touch the
    index; this (a beat job) brings the rank keys up to date, then invalidates
    the cached catalog answers if any moved.
    """
    moved = 0
    stale = SearchDocument.objects.exclude(sales=F("sku__sales")).values_list("sku_id", "sku__sales")
    while rows := list(stale[:batch]):
        with transaction.atomic():
            for sku_id, sales in rows:
                SearchDocument.objects.filter(sku_id=sku_id).update(
                    sales=sales, rank_key=rank_key(sales=sales, sku_id=sku_id)
                )
        moved += len(rows)
    if moved:
        catalog_version_bump()
    return moved
