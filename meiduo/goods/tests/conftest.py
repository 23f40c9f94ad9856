"""Catalog fixtures: a small phone catalog built through the services (so it is indexed for search)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from meiduo.goods import services
from meiduo.goods.models import SKU, SPU, GoodsCategory, SpecificationOption
from meiduo.goods.tests.factories import BrandFactory, CategoryFactory, ChannelFactory, ChannelGroupFactory


@dataclass
class PhoneCatalog:
    """手机通讯 > 手机 > 手机 with a 华为 Mate 60 in 2 colours × 2 memories (one combination off sale)."""

    cat1: GoodsCategory
    cat2: GoodsCategory
    cat3: GoodsCategory
    spu: SPU
    black_256: SKU
    black_512: SKU
    white_256: SKU
    white_512_off_sale: SKU


@pytest.fixture
def phone_catalog(db: None, django_capture_on_commit_callbacks: Any) -> PhoneCatalog:
    with django_capture_on_commit_callbacks(execute=True):
        cat1 = CategoryFactory.create(name="手机通讯")
        cat2 = CategoryFactory.create(name="手机", parent=cat1)
        cat3 = CategoryFactory.create(name="手机", parent=cat2)
        ChannelFactory.create(group=ChannelGroupFactory.create(name="手机"), category=cat1, url="http://shouji.jd.com")
        spu = services.spu_create(
            name="华为 Mate 60",
            brand=BrandFactory.create(name="华为", first_letter="H"),
            category3=cat3,
            specs={"颜色": ["雅丹黑", "白沙银"], "内存": ["256GB", "512GB"]},
            desc_detail="<p>详情</p>",
        )
        (black, white), (m256, m512) = (list(spec.options.all()) for spec in spu.specs.order_by("id"))

        def sku(colour: SpecificationOption, memory: SpecificationOption, price: str, **extra: Any) -> SKU:
            return services.sku_create(
                spu=spu,
                name=f"华为 Mate 60 手机 {colour.value} {memory.value}",
                price=Decimal(price),
                options=[colour, memory],
                stock=20,
                default_image="goods/mate60.png",
                **extra,
            )

        return PhoneCatalog(
            cat1=cat1,
            cat2=cat2,
            cat3=cat3,
            spu=spu,
            black_256=sku(black, m256, "5499.00"),
            black_512=sku(black, m512, "6499.00"),
            white_256=sku(white, m256, "5499.00"),
            white_512_off_sale=sku(white, m512, "6499.00", is_launched=False),
        )


RENAMED = "华为 Mate 60 运营改名"


def admin_rename_form(sku: SKU) -> dict[str, object]:
    """The admin's SKU change form as an operator posts it: renamed to RENAMED, price 5299.00, stock 20."""
    return {
        "name": RENAMED,
        "caption": sku.caption,
        "spu": sku.spu_id,
        "category": sku.category_id,
        "price": "5299.00",
        "cost_price": "4000.00",
        "market_price": "5999.00",
        "stock": 20,
        "is_launched": "on",
        "specs-TOTAL_FORMS": 0,
        "specs-INITIAL_FORMS": 0,
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
    }
