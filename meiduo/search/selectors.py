"""Reads of search: a lazily paged, relevance-ordered result list of on-sale SKU cards."""

from collections.abc import Sequence
from typing import overload

from django.conf import settings

from meiduo.goods.models import SKU
from meiduo.goods.selectors import sku_cards_by_ids
from meiduo.search.backends import get_backend
from meiduo.search.segment import words_for_query

MAX_QUERY_LENGTH = 100


class SearchResults(Sequence[SKU]):
    """Matches of a query, fetched a page at a time: a count query, then ids, then the cards of that page.

    The list holds at most settings.SEARCH_MAX_RESULTS matches (the best ones):
    counting stops there, so `count` is exact below it and equal to it above.
    """

    def __init__(self, text: str) -> None:
        self.words = words_for_query(text[:MAX_QUERY_LENGTH])
        self._count: int | None = None

    def count(self) -> int:  # type: ignore[override]
        """Number of matching on-sale SKUs, at most SEARCH_MAX_RESULTS (what the paginator reads)."""
        if self._count is None:
            self._count = get_backend().count(self.words, settings.SEARCH_MAX_RESULTS) if self.words else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> SKU: ...

    @overload
    def __getitem__(self, index: slice) -> list[SKU]: ...

    def __getitem__(self, index: int | slice) -> SKU | list[SKU]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if not self.words or stop is None:
            return []
        stop = min(stop, self.count())
        if stop <= start:
            return []
        return sku_cards_by_ids(get_backend().ids(self.words, start, stop - start, total=self.count()))


def sku_search(*, text: str) -> SearchResults:
    """On-sale SKUs matching every word of `text` (segmented by jieba), most relevant first."""
    return SearchResults(text.strip())
