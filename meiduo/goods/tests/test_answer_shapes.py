"""The catalog's answers, built straight from SQL rows, have exactly the shapes the OpenAPI schema declares.

The selectors build each answer without models or serializers (for speed);
the serializers of meiduo/goods/serializers.py document those shapes. Each
answer given to its serializer must come back unchanged (a missing field, an
extra one or a value in another form — a price as a number, say — fails here),
and a sku-card must be what the model serializer of the user centre writes.
"""

import random
from decimal import Context, Decimal
from typing import Any

import pytest
from rest_framework import serializers

from meiduo.goods import selectors
from meiduo.goods.models import SKU, Content, ContentCategory
from meiduo.goods.serializers import BreadcrumbSerializer, HomeSerializer, SKUCardSerializer, SKUDetailSerializer
from meiduo.goods.tests.conftest import PhoneCatalog


def as_declared(serializer: serializers.BaseSerializer, data: Any) -> Any:
    """The data as its serializer writes it (through JSON types: ordered dicts compare as dicts)."""
    return serializer.to_representation(data)


def test_detail_has_the_declared_shape(phone_catalog: PhoneCatalog) -> None:
    phone_catalog.black_256.images.create(image="goods/side.png")
    detail = selectors.sku_detail(sku_id=phone_catalog.black_256.id)

    assert as_declared(SKUDetailSerializer(), detail) == detail
    assert list(detail) == list(SKUDetailSerializer().fields)  # the same order of keys
    assert detail["price"] == "5499.00"
    assert detail["images"] == ["/media/goods/side.png"]


def test_cards_have_the_declared_shape(phone_catalog: PhoneCatalog) -> None:
    cards = selectors.category_skus(category_id=phone_catalog.cat3.id, ordering="price")[0:10]

    skus = [SKU.objects.get(pk=card["id"]) for card in cards]

    assert len(cards) == 3
    # What the serializer of the user centre's lists (history, favourites) writes for the same SKUs, keys in order.
    assert [list(card.items()) for card in cards] == [
        list(card.items()) for card in SKUCardSerializer(skus, many=True).data
    ]


def test_home_and_breadcrumb_have_the_declared_shape(phone_catalog: PhoneCatalog) -> None:
    slot = ContentCategory.objects.create(name="轮播", key="index_lbt")
    Content.objects.create(category=slot, title="大促", url="/list.html?cat=1", image="contents/a.png", sequence=2)
    Content.objects.create(category=slot, title="隐藏", url="/", status=False)
    home = selectors.home()
    breadcrumb = selectors.category_breadcrumb(phone_catalog.cat3.id)

    assert as_declared(HomeSerializer(), home) == home
    assert home["contents"]["index_lbt"][0]["image_url"] == "/media/contents/a.png"
    assert [item["title"] for item in home["contents"]["index_lbt"]] == ["大促"]
    assert as_declared(BreadcrumbSerializer(), breadcrumb) == breadcrumb


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        (Decimal("5499"), "5499.00"),
        (5499, "5499.00"),
        (0.1, "0.10"),
        (1999.99, "1999.99"),
        (12345678.99, "12345678.99"),
    ],
)
def test_prices_are_written_with_two_decimals_whatever_the_engine_hands_back(stored: Any, written: str) -> None:
    assert selectors.money(stored) == written


def test_a_float_price_is_written_as_djangos_decimal_converter_reads_it() -> None:
    rng = random.Random(2026)
    converter = Context(prec=15)  # django.db.backends.sqlite3.operations: get_decimalfield_converter
    for _ in range(20_000):
        stored = round(rng.uniform(0, 99_999_999.99), 2)
        expected = f"{converter.create_decimal_from_float(stored).quantize(Decimal('0.01')):f}"
        assert selectors.money(stored) == expected, stored
