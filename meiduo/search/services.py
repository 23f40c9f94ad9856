"""Writes of the search index: (re)build the search documents of SKUs from their catalog data."""

from collections.abc import Callable, Iterable

from django.db import transaction

from meiduo.goods.models import SKU
from meiduo.search.models import SearchDocument
from meiduo.search.segment import words_for_index

REBUILD_BATCH = 2000


def search_document_text(sku: SKU) -> str:
    """The words an SKU is found by: its name and caption, its SPU, brand and category names."""
    parts = [sku.name, sku.caption, sku.spu.name, sku.spu.brand.name, sku.category.name]
    return " ".join(words_for_index(" ".join(parts)))


def _documents(skus: Iterable[SKU]) -> list[SearchDocument]:
    return [SearchDocument(sku_id=sku.id, text=search_document_text(sku)) for sku in skus]


def _with_names(ids: Iterable[int]) -> Iterable[SKU]:
    return (
        SKU.objects.filter(id__in=list(ids))
        .select_related("spu__brand", "category")
        .only("id", "name", "caption", "spu__name", "spu__brand__name", "category__name")
    )


@transaction.atomic
def search_index_update(*, sku_ids: Iterable[int]) -> None:
    """Re-segment these SKUs into their search documents (SKUs that no longer exist lose theirs)."""
    ids = sorted(set(sku_ids))
    if not ids:
        return
    SearchDocument.objects.filter(sku_id__in=ids).delete()
    SearchDocument.objects.bulk_create(_documents(_with_names(ids)))


def search_index_schedule(*, sku_ids: Iterable[int]) -> None:
    """Update these SKUs' documents once the current transaction commits (at once outside one)."""
    ids = list(sku_ids)
    if ids:
        transaction.on_commit(lambda: search_index_update(sku_ids=ids))


def search_index_rebuild(*, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild every search document from the catalog in batches; return how many SKUs were indexed."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
    total = 0
    last_id = 0
    while True:
        batch = list(
            SKU.objects.filter(id__gt=last_id)
            .order_by("id")
            .select_related("spu__brand", "category")
            .only("id", "name", "caption", "spu__name", "spu__brand__name", "category__name")[:REBUILD_BATCH]
        )
        if not batch:
            return total
        with transaction.atomic():
            SearchDocument.objects.bulk_create(_documents(batch))
        last_id = batch[-1].id
        total += len(batch)
        if progress is not None:
            progress(len(batch))
