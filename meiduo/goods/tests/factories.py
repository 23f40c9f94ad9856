"""factory_boy factories for catalog rows (three-level categories, brands, SPUs, SKUs, content)."""

from decimal import Decimal

import factory

from meiduo.goods import models


class CategoryFactory(factory.django.DjangoModelFactory):
    """A first-level category unless a parent is given."""

    class Meta:
        model = models.GoodsCategory

    name = factory.Sequence(lambda n: f"分类{n}")
    parent: object = None


class ThirdLevelCategoryFactory(CategoryFactory):
    """A third-level category with its two parents."""

    parent = factory.SubFactory(CategoryFactory, parent=factory.SubFactory(CategoryFactory))


class ChannelGroupFactory(factory.django.DjangoModelFactory[models.GoodsChannelGroup]):
    class Meta:
        model = models.GoodsChannelGroup

    name = factory.Sequence(lambda n: f"频道组{n}")


class ChannelFactory(factory.django.DjangoModelFactory[models.GoodsChannel]):
    class Meta:
        model = models.GoodsChannel

    group = factory.SubFactory(ChannelGroupFactory)
    category = factory.SubFactory(CategoryFactory)
    url = factory.Sequence(lambda n: f"http://shouji.jd.com/{n}")
    sequence = factory.Sequence(int)


class BrandFactory(factory.django.DjangoModelFactory[models.Brand]):
    class Meta:
        model = models.Brand

    name = factory.Sequence(lambda n: f"品牌{n}")
    first_letter = "P"


class SPUFactory(factory.django.DjangoModelFactory[models.SPU]):
    class Meta:
        model = models.SPU

    name = factory.Sequence(lambda n: f"商品{n}")
    brand = factory.SubFactory(BrandFactory)
    category3 = factory.SubFactory(ThirdLevelCategoryFactory)
    category2 = factory.LazyAttribute(lambda spu: spu.category3.parent)
    category1 = factory.LazyAttribute(lambda spu: spu.category3.parent.parent)
    desc_detail = "<p>详情</p>"
    desc_pack = "<p>包装</p>"
    desc_service = "<p>售后</p>"


class SKUFactory(factory.django.DjangoModelFactory[models.SKU]):
    class Meta:
        model = models.SKU

    spu = factory.SubFactory(SPUFactory)
    category = factory.LazyAttribute(lambda sku: sku.spu.category3)
    name = factory.Sequence(lambda n: f"商品SKU{n}")
    caption = "好货"
    price = Decimal("100.00")
    cost_price = Decimal("80.00")
    market_price = Decimal("120.00")
    stock = 10
    default_image = factory.Sequence(lambda n: f"goods/sku{n}.png")


class ContentCategoryFactory(factory.django.DjangoModelFactory[models.ContentCategory]):
    class Meta:
        model = models.ContentCategory
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"广告位{n}")
    key = factory.Sequence(lambda n: f"slot_{n}")


class ContentFactory(factory.django.DjangoModelFactory[models.Content]):
    class Meta:
        model = models.Content

    category = factory.SubFactory(ContentCategoryFactory)
    title = factory.Sequence(lambda n: f"广告{n}")
    url = "http://www.itcast.cn"
    image = factory.Sequence(lambda n: f"contents/ad{n}.png")
    sequence = factory.Sequence(int)
