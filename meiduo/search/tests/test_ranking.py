"""Relevance order of search results, the count limit and the query count of an answer (both engines)."""

from decimal import Decimal

import pytest

from meiduo.goods import services
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import BrandFactory, SPUFactory, ThirdLevelCategoryFactory
from meiduo.search.models import SearchDocument
from meiduo.search.services import MAX_TERMS, MAX_TERMS_BYTES, search_ranks_refresh
from tests.support import searching

pytestmark = searching

URL = "/api/v1/skus/search/"
# name, caption, sales
SKUS = {
    "A": ("降噪耳机 A", "", 1),
    "B": ("蓝牙音箱 B", "可连接耳机", 900),
    "C": ("华为 降噪耳机 C", "", 5),
    "D": ("降噪耳机 D", "华为代工", 800),
    "E": ("运动耳机 E", "", 50),
    "F": ("运动耳机 F", "", 50),
    "G": ("运动耳机 G", "", 70),
}


@pytest.fixture
def shelf(django_capture_on_commit_callbacks) -> dict[str, int]:
    """Seven SKUs under a neutral SPU, brand and category, their sales set and ranked; label -> id."""
    spu = SPUFactory.create(
        name="套装", brand=BrandFactory.create(name="无名"), category3=ThirdLevelCategoryFactory.create(name="杂货")
    )
    ids = {}
    with django_capture_on_commit_callbacks(execute=True):
        for label, (name, caption, _sales) in SKUS.items():
            ids[label] = services.sku_create(spu=spu, name=name, caption=caption, price=Decimal("99.00")).id
    for label, (_name, _caption, sales) in SKUS.items():
        SKU.objects.filter(id=ids[label]).update(sales=sales)  # as orders do: without re-indexing
    assert search_ranks_refresh() == len(SKUS)
    return ids


def _labels(api, shelf: dict[str, int], text: str, **params) -> list[str]:
    response = api.get(URL, {"text": text, **params})
    assert response.status_code == 200, response.content
    by_id = {sku_id: label for label, sku_id in shelf.items()}
    return [by_id[card["id"]] for card in response.json()["results"]]


def test_a_name_match_beats_a_caption_only_match_and_ties_go_by_sales_then_id(api, shelf):
    # 耳机 in the name: by sales (E and F tie at 50: lower id first); B has it only in its caption.
    assert _labels(api, shelf, "耳机") == ["D", "G", "E", "F", "C", "A", "B"]


def test_more_words_in_the_name_beat_fewer(api, shelf):
    # C has both words in its name; D has 华为 only in its caption, and more sales.
    assert _labels(api, shelf, "华为 耳机") == ["C", "D"]
    assert _labels(api, shelf, "华为 降噪 耳机 c") == ["C"]
    assert _labels(api, shelf, "华为 降噪 耳机 d") == ["D"]  # more than three words: still every word must match


def test_pages_follow_the_ranking_across_tiers(api, shelf):
    pages = [_labels(api, shelf, "耳机", page_size=3, page=page) for page in (1, 2, 3)]

    assert pages == [["D", "G", "E"], ["F", "C", "A"], ["B"]]


def test_sales_reach_the_ranking_after_the_refresh(api, shelf):
    SKU.objects.filter(id=shelf["A"]).update(sales=10_000)
    assert _labels(api, shelf, "耳机")[0] == "D"  # not re-ranked yet

    assert search_ranks_refresh() == 1
    assert search_ranks_refresh() == 0
    assert _labels(api, shelf, "耳机")[:2] == ["A", "D"]


def test_count_stops_at_the_result_limit(api, shelf, settings):
    settings.SEARCH_MAX_RESULTS = 4

    first = api.get(URL, {"text": "耳机", "page_size": 3}).json()
    assert first["count"] == 4
    assert _labels(api, shelf, "耳机", page_size=3, page=2) == ["F"]  # the best 4 of the 7 hits
    assert api.get(URL, {"text": "耳机", "page_size": 3, "page": 3}).status_code == 400
    assert api.get(URL, {"text": "华为 耳机"}).json()["count"] == 2  # exact below the limit


@pytest.mark.parametrize(("limit", "count"), [(6, 6), (7, 7), (8, 7), (1, 1)])
def test_count_is_exact_up_to_the_limit(api, shelf, settings, limit, count):
    settings.SEARCH_MAX_RESULTS = limit  # 耳机 has 7 hits: the limit below, at and above them

    assert api.get(URL, {"text": "耳机", "page_size": 3}).json()["count"] == count
    assert api.get(URL, {"text": "耳机", "price_min": "99.00", "page_size": 3}).json()["count"] == count  # narrowed


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ({"text": "耳机", "page_size": 3}, 2),  # count, the best tier's cards
        ({"text": "耳机", "page_size": 20}, 3),  # count, both tiers' cards
        ({"text": "华为 耳机", "page_size": 20}, 3),  # count, 2 of the 3 tiers (the count says when to stop)
        ({"text": "耳机", "page_size": 3, "page": 2}, 2),  # count, the best tier's cards past the first 3
        ({"text": "耳机", "page_size": 3, "page": 3}, 4),  # count, the best tier (none left), its size, the next tier
        ({"text": "潜水艇"}, 1),  # count only
    ],
)
@pytest.mark.usefixtures("shelf")
def test_query_count_of_a_search_answer(api, query, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        assert api.get(URL, query).status_code == 200


def test_a_document_of_the_longest_names_is_indexed_within_bounds(api, shelf, django_capture_on_commit_callbacks):
    name = " ".join(chr(0x4E00 + 7 * n) for n in range(50))  # 99 characters, 50 one-character words
    caption = " ".join(chr(0x5E00 + 7 * n) for n in range(50))
    spu = SKU.objects.get(id=shelf["A"]).spu
    with django_capture_on_commit_callbacks(execute=True):
        sku = services.sku_create(spu=spu, name=name, caption=caption, price=Decimal("1.00"))

    terms = SearchDocument.objects.get(sku_id=sku.id).terms
    assert len(terms.split()) == MAX_TERMS and len(terms.encode()) <= MAX_TERMS_BYTES
    found = {**shelf, "long": sku.id}
    assert _labels(api, found, name[-1]) == ["long"]  # title words are kept first
    assert _labels(api, found, caption[0]) == ["long"]
    assert _labels(api, found, caption[-1]) == []  # the words past the limit are left out
