"""A large synthetic catalog for benchmarks: realistic-looking SPUs/SKUs written with bulk inserts."""

import random
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from meiduo.demo.catalog import BRANDS, TREE
from meiduo.demo.images import product_card_png
from meiduo.goods.models import (
    SKU,
    SPU,
    Brand,
    GoodsCategory,
    GoodsChannel,
    GoodsChannelGroup,
    SKUImage,
    SKUSpecification,
    SpecificationOption,
    SPUSpecification,
)

SPU_BATCH = 1000
COLOURS = ["曜石黑", "冰川白", "星空蓝", "樱花粉"]
VERSIONS = ["标准版", "高配版", "旗舰版", "尊享版"]
SERIES = ["Pro", "Max", "Air", "Lite", "Plus", "Ultra", "SE", "Note", "Mini", "X"]
SKUS_PER_SPU = 4  # 2 colours × 2 versions
RARE_WORD, RARE_EVERY = "典藏版", 1000


def _tree() -> list[tuple[GoodsCategory, str]]:
    """A synthetic copy of the demo category tree (prefixed 精选), reused when already there."""
    thirds: list[tuple[GoodsCategory, str]] = []
    group = GoodsChannelGroup.objects.get_or_create(name="精选好物")[0]
    for tops in TREE.values():
        for top_name, seconds in tops.items():
            top, created = GoodsCategory.objects.get_or_create(name=f"精选{top_name}", parent=None)
            if created:
                GoodsChannel.objects.create(group=group, category=top, url=f"/list.html?cat={top.id}")
            for second_name, third_names in seconds.items():
                second = GoodsCategory.objects.get_or_create(name=f"精选{second_name}", parent=top)[0]
                for third_name, shape in third_names.items():
                    thirds.append((GoodsCategory.objects.get_or_create(name=third_name, parent=second)[0], shape))
    return thirds


def _pictures(thirds: list[tuple[GoodsCategory, str]]) -> dict[int, str]:
    """One shared picture per category."""
    names = {}
    for category, shape in thirds:
        name = f"synthetic/category-{category.id}.png"
        if not default_storage.exists(name):
            default_storage.save(
                name,
                ContentFile(product_card_png(title=category.name, subtitle="精选", latin_title=f"Item {category.id}",
                                             latin_subtitle="Meiduo", seed=category.name, shape=shape)),
            )  # fmt: skip
        names[category.id] = name
    return names


def synthetic_catalog_generate(*, skus: int, progress: Callable[[int], object] | None = None, seed: int = 1) -> int:
    """Add about `skus` SKUs (a multiple of 4: 2 colours × 2 versions per SPU); return how many were added."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    thirds = _tree()
    pictures = _pictures(thirds)
    brands = [
        Brand.objects.get_or_create(name=name, defaults={"first_letter": letter})[0] for name, _, letter in BRANDS
    ]
    spu_count = max(1, skus // SKUS_PER_SPU)
    added = 0
    for start in range(0, spu_count, SPU_BATCH):
        size = min(SPU_BATCH, spu_count - start)
        with transaction.atomic():
            plans = []
            for number in range(start, start + size):
                category, _shape = rng.choice(thirds)
                brand = rng.choice(brands)
                name = f"{brand.name} {rng.choice(SERIES)} {number % 97 + 1} {category.name}"
                if number % RARE_EVERY == 0:
                    name += f" {RARE_WORD}"  # a rare word for search benchmarks (0.1% of the SPUs)
                plans.append((name, brand, category, Decimal(rng.randrange(99, 20000))))
            spus = SPU.objects.bulk_create(
                [
                    SPU(name=name, brand=brand, category1=category.parent.parent, category2=category.parent,  # type: ignore[union-attr]
                        category3=category, desc_detail=f"<p>{name}</p>", desc_pack="<p>主机 ×1</p>",
                        desc_service="<p>全国联保</p>")
                    for name, brand, category, _price in plans
                ]
            )  # fmt: skip
            specs = SPUSpecification.objects.bulk_create(
                [SPUSpecification(spu=spu, name=spec) for spu in spus for spec in ("颜色", "版本")]
            )
            options = SpecificationOption.objects.bulk_create(
                [
                    SpecificationOption(spec=spec, value=rng.choice(pair))
                    for index, spec in enumerate(specs)
                    for pair in ((COLOURS[:2], COLOURS[2:]) if index % 2 == 0 else (VERSIONS[:2], VERSIONS[2:]))
                ]
            )
            new_skus: list[SKU] = []
            combos: list[tuple[SpecificationOption, SpecificationOption]] = []
            for position, (spu, (name, _brand, category, price)) in enumerate(zip(spus, plans, strict=True)):
                colours, versions = (
                    options[position * 4 : position * 4 + 2],
                    options[position * 4 + 2 : position * 4 + 4],
                )
                for colour in colours:
                    for step, version in enumerate(versions):
                        sku_price = price + 300 * step
                        new_skus.append(
                            SKU(spu=spu, category=category, name=f"{name} {colour.value} {version.value}",
                                caption="【精选】正品保障 全国联保", price=sku_price,
                                cost_price=(sku_price * Decimal("0.8")).quantize(Decimal("1.00")),
                                market_price=sku_price + 100, stock=rng.randrange(0, 500),
                                sales=rng.randrange(0, 5000), comments=rng.randrange(0, 300),
                                is_launched=rng.random() > 0.05, default_image=pictures[category.id])
                        )  # fmt: skip
                        combos.append((colour, version))
            created = SKU.objects.bulk_create(new_skus)
            SKUSpecification.objects.bulk_create(
                [
                    SKUSpecification(sku=sku, spec_id=option.spec_id, option=option)
                    for sku, combo in zip(created, combos, strict=True)
                    for option in combo
                ]
            )
            SKUImage.objects.bulk_create([SKUImage(sku=sku, image=sku.default_image.name) for sku in created])
        added += len(created)
        if progress is not None:
            progress(len(created))
    return added
