"""Reads of the catalog shaped for the API: home page, breadcrumbs, SKU lists, SKU detail with its spec matrix."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import FieldError, NotFoundError
from meiduo.core.links import safe_link
from meiduo.goods.models import (
    SKU,
    Content,
    ContentCategory,
    GoodsCategory,
    GoodsChannel,
    SKUImage,
    SKUSpecification,
    SPUSpecification,
)

CARD_FIELDS = ("id", "name", "price", "default_image", "comments")

# `ordering` values of a category list; absent means newest first.
SKU_ORDERINGS: dict[str, tuple[str, ...]] = {
    "create_time": ("create_time", "id"),
    "-create_time": ("-create_time", "-id"),
    "price": ("price", "id"),
    "-price": ("-price", "-id"),
    "sales": ("sales", "id"),
    "-sales": ("-sales", "-id"),
}
DEFAULT_SKU_ORDERING = "-create_time"
HOT_SKU_COUNT = 2


class Crumb(TypedDict, total=False):
    """One level of a breadcrumb."""

    id: int
    name: str
    url: str


@dataclass
class SKUDetail:
    """An on-sale SKU with everything its detail page shows."""

    sku: SKU
    images: list[SKUImage]
    breadcrumb: dict[str, Crumb]
    specs: list[dict[str, Any]]


def third_level_category(category_id: int) -> GoodsCategory:
    """The category if it is a third-level one (goods hang there), with its parents; 404 otherwise."""
    category = (
        GoodsCategory.objects.select_related("parent__parent")
        .filter(pk=category_id, parent__parent__isnull=False)
        .first()
    )
    if category is None:
        raise NotFoundError()
    return category


def category_breadcrumb(category: GoodsCategory) -> dict[str, Crumb]:
    """`{"cat1": {id, name, url}, "cat2": {id, name}, "cat3": {id, name}}` of a third-level category."""
    cat2 = category.parent
    assert cat2 is not None and cat2.parent is not None  # noqa: S101 - guaranteed by third_level_category
    cat1 = cat2.parent
    url = GoodsChannel.objects.filter(category_id=cat1.id).order_by("sequence", "id").values_list("url", flat=True)
    return {
        "cat1": {"id": cat1.id, "name": cat1.name, "url": safe_link(url.first() or "")},
        "cat2": {"id": cat2.id, "name": cat2.name},
        "cat3": {"id": category.id, "name": category.name},
    }


def category_skus(*, category_id: int, ordering: str | None) -> QuerySet[SKU]:
    """On-sale SKU cards of a third-level category in the requested order (404 for other levels)."""
    order = SKU_ORDERINGS.get(ordering or DEFAULT_SKU_ORDERING)
    if order is None:
        raise FieldError("ordering", _("Choose one of: %(choices)s.") % {"choices": ", ".join(SKU_ORDERINGS)})
    third_level_category(category_id)
    return SKU.objects.filter(category_id=category_id, is_launched=True).only(*CARD_FIELDS).order_by(*order)


def category_hot_skus(*, category_id: int) -> list[SKU]:
    """The best-selling on-sale SKU cards of a third-level category."""
    third_level_category(category_id)
    skus = SKU.objects.filter(category_id=category_id, is_launched=True).only(*CARD_FIELDS)
    return list(skus.order_by("-sales", "id")[:HOT_SKU_COUNT])


def sku_cards_by_ids(ids: list[int]) -> list[SKU]:
    """SKU cards in the order of `ids` (one query)."""
    by_id = {sku.id: sku for sku in SKU.objects.filter(id__in=ids).only(*CARD_FIELDS)}
    return [by_id[sku_id] for sku_id in ids if sku_id in by_id]


def _spec_matrix(sku: SKU) -> list[dict[str, Any]]:
    """Each specification of the SPU with its options, and the on-sale sibling SKU each option leads to.

    The sibling of option `o` of specification `s` is the SKU with `o` for `s`
    and the current SKU's options for every other specification (None if no
    such SKU is on sale).
    """
    specs = list(
        SPUSpecification.objects.filter(spu_id=sku.spu_id)
        .order_by("id")
        .prefetch_related(Prefetch("options", to_attr="option_list"))
    )
    chosen: dict[int, dict[int, int]] = defaultdict(dict)
    rows = SKUSpecification.objects.filter(sku__spu_id=sku.spu_id, sku__is_launched=True).values_list(
        "sku_id", "spec_id", "option_id"
    )
    for sku_id, spec_id, option_id in rows:
        chosen[sku_id][spec_id] = option_id
    spec_ids = [spec.id for spec in specs]
    sku_by_key = {tuple(options.get(spec_id) for spec_id in spec_ids): sku_id for sku_id, options in chosen.items()}
    current = [chosen[sku.id].get(spec_id) for spec_id in spec_ids]
    matrix = []
    for position, spec in enumerate(specs):
        options = []
        for option in spec.option_list:
            key = (*current[:position], option.id, *current[position + 1 :])
            options.append({"id": option.id, "value": option.value, "sku_id": sku_by_key.get(key)})
        matrix.append({"id": spec.id, "name": spec.name, "options": options})
    return matrix


def sku_detail(*, sku_id: int) -> SKUDetail:
    """An on-sale SKU with its images, breadcrumb, SPU descriptions and spec matrix (404 otherwise)."""
    sku = (
        SKU.objects.select_related("spu", "category__parent__parent")
        .filter(pk=sku_id, is_launched=True, category__parent__parent__isnull=False)
        .first()
    )
    if sku is None:
        raise NotFoundError()
    return SKUDetail(
        sku=sku,
        images=list(SKUImage.objects.filter(sku_id=sku.id).order_by("id")),
        breadcrumb=category_breadcrumb(sku.category),
        specs=_spec_matrix(sku),
    )


def home_channels() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Navigation channels by group: `{group_id: {"channels": [{id, name, url}], "sub_cats": [...]}}`.

    `channels` are the top-level categories of the group's channels (id and
    name of the category, url of the channel); `sub_cats` are their
    second-level categories, each with its third-level `sub_cats`.
    """
    channels = list(GoodsChannel.objects.select_related("category").order_by("group_id", "sequence", "id"))
    children: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cat_id, name, parent_id in GoodsCategory.objects.filter(parent__isnull=False).values_list(
        "id", "name", "parent_id"
    ):
        children[parent_id].append({"id": cat_id, "name": name})
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for channel in channels:
        group = groups.setdefault(str(channel.group_id), {"channels": [], "sub_cats": []})
        group["channels"].append(
            {"id": channel.category_id, "name": channel.category.name, "url": safe_link(channel.url)}
        )
        for cat2 in children[channel.category_id]:
            group["sub_cats"].append(
                {
                    "id": cat2["id"],
                    "name": cat2["name"],
                    "sub_cats": [{"id": cat3["id"], "name": cat3["name"]} for cat3 in children[cat2["id"]]],
                }
            )
    return groups


def home_contents() -> dict[str, list[Content]]:
    """Every home page slot by key, with its shown items in order (an empty list for an empty slot)."""
    shown = Content.objects.filter(status=True).order_by("sequence", "id")
    slots = ContentCategory.objects.order_by("id").prefetch_related(Prefetch("contents", shown, to_attr="shown"))
    return {slot.key: slot.shown for slot in slots}
