"""A SKU's views and favourites: counted without slowing any answer, and lists ordered by them."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meiduo.goods import services
from meiduo.goods.models import SKU
from meiduo.goods.tests.conftest import PhoneCatalog


def _views(sku: SKU) -> int:
    return SKU.objects.values_list("views", flat=True).get(pk=sku.pk)


def _beacon(api: Any, sku: SKU) -> None:
    assert api.post(f"/api/v1/skus/{sku.id}/views/").status_code == 204


def test_views_are_written_in_batches(
    api: Any, phone_catalog: PhoneCatalog, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.SKU_VIEWS_FLUSH_SECONDS = 3600
    services.sku_views_write()  # start a fresh interval
    black, white = phone_catalog.black_256, phone_catalog.white_256
    with django_assert_num_queries(0):  # a view costs no statement of its own
        for _ in range(3):
            _beacon(api, black)
        _beacon(api, white)
    assert (_views(black), _views(white)) == (0, 0)

    with CaptureQueriesContext(connection) as written:
        assert services.sku_views_write() == 2
    updates = [query["sql"] for query in written.captured_queries if query["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # one UPDATE per viewed SKU, whatever the number of views
    assert (_views(black), _views(white)) == (3, 1)


def test_an_unknown_sku_counts_nothing(api: Any, phone_catalog: PhoneCatalog, settings: Any) -> None:
    settings.SKU_VIEWS_FLUSH_SECONDS = 0
    assert api.post("/api/v1/skus/999999/views/").status_code == 204
    assert api.post(f"/api/v1/skus/{10**17}/views/").status_code == 204
    assert not SKU.objects.filter(views__gt=0).exists()


@pytest.mark.parametrize(("ordering", "field"), [("-views", "views"), ("-favorites", "favorites")])
def test_lists_order_by_views_and_favourites(
    api: Any, phone_catalog: PhoneCatalog, settings: Any, ordering: str, field: str
) -> None:
    settings.CATALOG_CACHE_TIMEOUT = 0  # views and favourites do not change the catalog: the cached order may lag
    for count, sku in enumerate([phone_catalog.white_256, phone_catalog.black_512, phone_catalog.black_256], 1):
        SKU.objects.filter(pk=sku.pk).update(**{field: count})

    answer = api.get(f"/api/v1/categories/{phone_catalog.cat3.id}/skus/", {"ordering": ordering}).json()

    assert [card["id"] for card in answer["results"]] == [
        phone_catalog.black_256.id,
        phone_catalog.black_512.id,
        phone_catalog.white_256.id,
    ]


def test_an_admin_save_keeps_the_counts(phone_catalog: PhoneCatalog) -> None:
    sku = SKU.objects.get(pk=phone_catalog.black_256.pk)
    SKU.objects.filter(pk=sku.pk).update(views=40, favorites=4)

    sku.name = "改名"
    services.catalog_object_save(obj=sku)

    assert SKU.objects.values_list("views", "favorites").get(pk=sku.pk) == (40, 4)
