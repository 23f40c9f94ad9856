"""Reads of search: a lazily paged, relevance-ordered result list of on-sale sku-cards."""

from django.conf import settings

from meiduo.goods.selectors import CARD_COLUMNS, NO_FILTER, Card, CardList, SKUFilter, sku_cards
from meiduo.search.backends import get_backend
from meiduo.search.segment import words_for_query

MAX_QUERY_LENGTH = 100


def sku_search(*, text: str, narrow: SKUFilter = NO_FILTER) -> CardList:
    """On-sale SKUs matching every word of `text` (segmented), most relevant first, read a page at a time,
    narrowed by price, brand or category when asked.

    The list holds at most settings.SEARCH_MAX_RESULTS matches (the best ones):
    counting stops there, so `count` is exact below it and equal to it above.
    """
    words = words_for_query(text.strip()[:MAX_QUERY_LENGTH])
    if not words:
        return CardList(lambda: 0, lambda offset, limit: [])
    results: CardList

    def count() -> int:
        return get_backend().count(words, settings.SEARCH_MAX_RESULTS, narrow)

    def cards(offset: int, limit: int) -> list[Card]:
        rows = get_backend().rows(words, offset, limit, columns=CARD_COLUMNS, total=results.count(), narrow=narrow)
        return sku_cards(rows)

    results = CardList(count, cards)
    return results
