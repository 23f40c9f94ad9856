"""Search API on the backend of the database in use (FTS5 on SQLite, full text on PostgreSQL)."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from meiduo.goods import services
from meiduo.goods.models import SKU
from meiduo.goods.tests.conftest import PhoneCatalog
from meiduo.goods.tests.factories import BrandFactory, SKUFactory, SPUFactory
from meiduo.search.models import SearchDocument
from tests.support import searching

pytestmark = searching

URL = "/api/v1/skus/search/"


def _ids(response):
    assert response.status_code == 200, response.content
    return [card["id"] for card in response.json()["results"]]


def test_chinese_text_is_segmented(api, phone_catalog: PhoneCatalog):
    on_sale = {phone_catalog.black_256.id, phone_catalog.black_512.id, phone_catalog.white_256.id}

    assert set(_ids(api.get(URL, {"text": "手机"}))) == on_sale
    assert set(_ids(api.get(URL, {"text": "华为手机"}))) == on_sale
    assert set(_ids(api.get(URL, {"text": "华为 Mate"}))) == on_sale
    assert _ids(api.get(URL, {"text": "白沙银"})) == [phone_catalog.white_256.id]
    assert _ids(api.get(URL, {"text": "冰箱"})) == []


def test_results_are_sku_cards_and_only_on_sale(api, phone_catalog: PhoneCatalog):
    body = api.get(URL, {"text": "512GB"}).json()

    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": phone_catalog.black_512.id,
            "name": "华为 Mate 60 手机 雅丹黑 512GB",
            "price": "6499.00",
            "default_image_url": "/media/goods/mate60.png",
            "comments": 0,
        }
    ]


def test_more_relevant_first(api, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.sku_create(
            spu=SPUFactory.create(name="手机壳", brand=BrandFactory.create(name="绿联"), category3=phone_catalog.cat3),
            name="适用华为的透明手机壳 防摔 透明 轻薄 超薄 全包 软壳 男女款",
            price=Decimal("29.00"),
        )
    ids = _ids(api.get(URL, {"text": "华为"}))

    assert ids[-1] == case.id
    assert len(ids) == 4


def test_words_of_one_or_two_characters_and_english_stop_words_are_found(
    api, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    # Words MySQL's full-text parser leaves out by default (under 3 characters, stop words) are found everywhere.
    with django_capture_on_commit_callbacks(execute=True):
        tea = services.sku_create(
            spu=SPUFactory.create(name="茶", brand=BrandFactory.create(name="茶园"), category3=phone_catalog.cat3),
            name="The Art of Tea 茶 礼盒",
            price=Decimal("88.00"),
        )

    for text in ("茶", "礼盒", "the", "of", "The Art of Tea"):
        assert _ids(api.get(URL, {"text": text})) == [tea.id], text


def test_pagination_and_empty_text(api, phone_catalog: PhoneCatalog):
    first = api.get(URL, {"text": "华为", "page_size": 2}).json()
    second = api.get(URL, {"text": "华为", "page_size": 2, "page": 2}).json()

    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    assert len(second["results"]) == 1 and second["next"] is None
    assert not set(_ids(api.get(URL, {"text": "华为", "page_size": 2}))) & {c["id"] for c in second["results"]}
    assert api.get(URL, {"text": "华为", "page": 5}).status_code == 400
    for text in ("", "   ", "，。！"):
        assert api.get(URL, {"text": text}).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert api.get(URL).json()["count"] == 0


@pytest.mark.parametrize("text", ['"', "AND OR NOT", "NEAR(手机", "*", "手机*", "'; DROP TABLE tb_sku; --", "a" * 5000])
def test_odd_queries_never_fail(api, phone_catalog: PhoneCatalog, text):
    response = api.get(URL, {"text": text})

    assert response.status_code == 200
    assert SKU.objects.count() == 4


def test_index_follows_edits_after_commit(api, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=phone_catalog.black_256, name="华为 Mate 60 典藏版")
    assert _ids(api.get(URL, {"text": "典藏版"})) == [phone_catalog.black_256.id]

    with django_capture_on_commit_callbacks(execute=True):
        services.sku_update(sku=phone_catalog.black_256, is_launched=False)
    assert _ids(api.get(URL, {"text": "典藏版"})) == []

    with django_capture_on_commit_callbacks(execute=True):
        services.catalog_objects_delete(objs=[phone_catalog.white_512_off_sale])
    assert not SearchDocument.objects.filter(sku_id=phone_catalog.white_512_off_sale.id).exists()


def test_renaming_the_spu_or_brand_reindexes_its_skus(
    api, phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks
):
    brand = phone_catalog.spu.brand
    brand.name = "海思"
    with django_capture_on_commit_callbacks(execute=True):
        services.catalog_object_save(obj=brand)

    assert len(_ids(api.get(URL, {"text": "海思"}))) == 3


@pytest.mark.django_db  # a rolled-back transaction: its commit is what is waited for
def test_edit_is_not_indexed_before_commit(phone_catalog: PhoneCatalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sku_update(sku=phone_catalog.black_256, name="还没提交")
        assert "还没提交" not in SearchDocument.objects.get(sku_id=phone_catalog.black_256.id).terms
    assert callbacks


def test_rebuild_command_indexes_every_sku_on_sale(api, phone_catalog: PhoneCatalog):
    SKUFactory.create(spu=phone_catalog.spu, name="批量导入的华为平板")  # written without the services
    assert _ids(api.get(URL, {"text": "平板"})) == []

    call_command("rebuild_search_index")

    on_sale = set(SKU.objects.filter(is_launched=True).values_list("id", flat=True))
    assert len(on_sale) == 4
    assert set(SearchDocument.objects.values_list("sku_id", flat=True)) == on_sale  # off-sale SKUs have none
    assert len(_ids(api.get(URL, {"text": "平板"}))) == 1


@pytest.mark.parametrize("page_size", [1, 20])
def test_search_query_count_is_constant(api, phone_catalog: PhoneCatalog, page_size, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # count, the cards of the page
        assert api.get(URL, {"text": "华为", "page_size": page_size}).status_code == 200


def test_search_runs_on_the_backend_of_the_database(settings):
    expected = {"sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql"}[connection.vendor]
    assert expected == settings.SEARCH_BACKEND
