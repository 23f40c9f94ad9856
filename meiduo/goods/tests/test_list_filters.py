"""Narrowing a list: price range, brand, category of any level — on category lists and on search."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from meiduo.goods import services
from meiduo.goods.tests.conftest import PhoneCatalog
from meiduo.goods.tests.factories import BrandFactory, CategoryFactory
from tests.support import error_fields, searching

SEARCH = "/api/v1/skus/search/"


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [card["id"] for card in response.json()["results"]]


@pytest.fixture
def wider(phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """A second third-level category under the same first level, with a cheap phone of another brand."""
    with django_capture_on_commit_callbacks(execute=True):
        cat2 = CategoryFactory.create(name="老年手机", parent=phone_catalog.cat1)
        cat3 = CategoryFactory.create(name="老人机", parent=cat2)
        spu = services.spu_create(
            name="诺基亚 105", brand=BrandFactory.create(name="诺基亚"), category3=cat3, specs={"颜色": ["黑"]}
        )
        cheap = services.sku_create(
            spu=spu, name="诺基亚 105 手机 黑", price=Decimal("199.00"), options=list(spu.specs.get().options.all())
        )
    return {"cat2": cat2, "cat3": cat3, "cheap": cheap, "brand": spu.brand}


def test_a_price_range_narrows_a_category_list(api: Any, phone_catalog: PhoneCatalog) -> None:
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"

    assert _ids(api.get(url, {"price_min": "6000"})) == [phone_catalog.black_512.id]
    assert sorted(_ids(api.get(url, {"price_max": "5499", "ordering": "price"}))) == sorted(
        [phone_catalog.black_256.id, phone_catalog.white_256.id]
    )
    answer = api.get(url, {"price_min": "5499.00", "price_max": "5499.00", "page_size": 1}).json()
    assert answer["count"] == 2 and len(answer["results"]) == 1 and answer["next"]
    assert "price_min=5499.00" in answer["next"]  # the filter carries over to the next page
    assert _ids(api.get(url, {"price_min": "7000"})) == []
    assert _ids(api.get(url, {"price_min": ""})) == _ids(api.get(url))  # an empty field counts as absent


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"price_min": "abc"}, "price_min"),
        ({"price_min": "-1"}, "price_min"),
        ({"price_max": "1.001"}, "price_max"),
        ({"price_max": "1e400"}, "price_max"),
        ({"price_min": "100", "price_max": "99"}, "price_max"),
        ({"brand": "x"}, "brand"),
        ({"brand": "0"}, "brand"),
    ],
)
def test_nonsense_filters_are_400_on_lists_and_search(
    api: Any, phone_catalog: PhoneCatalog, query: dict[str, str], field: str
) -> None:
    for url, extra in ((f"/api/v1/categories/{phone_catalog.cat3.id}/skus/", {}), (SEARCH, {"text": "手机"})):
        response = api.get(url, {**query, **extra})
        assert response.status_code == 400, response.content
        assert field in error_fields(response.json())


def test_a_first_or_second_level_category_lists_every_on_sale_sku_below_it(
    api: Any, phone_catalog: PhoneCatalog, wider: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    on_sale = {phone_catalog.black_256.id, phone_catalog.black_512.id, phone_catalog.white_256.id}

    with django_assert_max_num_queries(3):  # the category's level, the kept counts below it, the page
        top = api.get(f"/api/v1/categories/{phone_catalog.cat1.id}/skus/", {"ordering": "price"}).json()
    assert top["count"] == 4
    assert top["results"][0]["id"] == wider["cheap"].id
    assert {card["id"] for card in top["results"]} == on_sale | {wider["cheap"].id}
    assert set(_ids(api.get(f"/api/v1/categories/{phone_catalog.cat2.id}/skus/"))) == on_sale
    assert _ids(api.get(f"/api/v1/categories/{wider['cat2'].id}/skus/")) == [wider["cheap"].id]
    assert _ids(api.get(f"/api/v1/categories/{phone_catalog.cat1.id}/skus/", {"price_max": "200"})) == [
        wider["cheap"].id
    ]


@searching
def test_a_brand_narrows_lists_and_search(api: Any, phone_catalog: PhoneCatalog, wider: dict[str, Any]) -> None:
    brand = wider["brand"].id
    assert _ids(api.get(f"/api/v1/categories/{phone_catalog.cat1.id}/skus/", {"brand": brand})) == [wider["cheap"].id]
    assert _ids(api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/", {"brand": brand})) == []
    assert _ids(api.get(SEARCH, {"text": "手机", "brand": brand})) == [wider["cheap"].id]
    assert _ids(api.get(SEARCH, {"text": "手机", "brand": 10**17})) == []


@searching
def test_search_narrowed_by_price_and_category(
    api: Any, phone_catalog: PhoneCatalog, wider: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    everything = set(_ids(api.get(SEARCH, {"text": "手机"})))
    assert wider["cheap"].id in everything and phone_catalog.black_512.id in everything

    assert _ids(api.get(SEARCH, {"text": "手机", "price_max": "500"})) == [wider["cheap"].id]
    assert phone_catalog.black_512.id in _ids(api.get(SEARCH, {"text": "手机", "price_min": "6000"}))
    for category in (phone_catalog.cat3, phone_catalog.cat2):
        assert set(_ids(api.get(SEARCH, {"text": "手机", "category": category.id}))) == everything - {wider["cheap"].id}
    assert set(_ids(api.get(SEARCH, {"text": "手机", "category": phone_catalog.cat1.id}))) == everything
    assert _ids(api.get(SEARCH, {"text": "手机", "category": wider["cat3"].id})) == [wider["cheap"].id]
    assert _ids(api.get(SEARCH, {"text": "手机", "category": 999999})) == []
    with django_assert_max_num_queries(3):  # count, ids of the page, cards
        answer = api.get(SEARCH, {"text": "手机", "price_min": "1", "category": phone_catalog.cat1.id}).json()
    assert answer["count"] == len(everything)


def test_filters_are_part_of_the_cached_answer(api: Any, phone_catalog: PhoneCatalog, settings: Any) -> None:
    settings.CATALOG_CACHE_TIMEOUT = 600
    cache.clear()
    url = f"/api/v1/categories/{phone_catalog.cat3.id}/skus/"

    assert len(_ids(api.get(url))) == 3
    assert _ids(api.get(url, {"price_min": "6000"})) == [phone_catalog.black_512.id]
    assert len(_ids(api.get(url))) == 3


def test_a_narrowed_third_level_list_costs_three_statements(
    api: Any, phone_catalog: PhoneCatalog, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):  # the category with its kept count, the narrowed count, the page
        response = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/", {"price_min": 1, "brand": 1})
    assert response.status_code == 200
