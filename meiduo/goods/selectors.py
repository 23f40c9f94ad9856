"""Reads of the catalog shaped for the API: home page, breadcrumbs, sku-card lists, SKU detail with its spec matrix.

Each answer is read with a few fixed SQL statements (on a replica when there
is one: the catalog tolerates replication lag) and built straight into the
API's shape — no model instances, no serializer (meiduo/goods/serializers.py
documents the shapes for the OpenAPI schema; tests compare the two). Building
querysets and serializing instances was 90% of an uncached answer's time
(docs/performance.md, "Catalog reads").
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Any, TypedDict, overload

from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from meiduo.core.dbrouter import lag_tolerant_rows
from meiduo.core.errors import FieldError, NotFoundError
from meiduo.core.links import safe_link

# `ordering` values of a category list and their ORDER BY; absent means newest first.
SKU_ORDERINGS: dict[str, str] = {
    "create_time": "create_time, id",
    "-create_time": "create_time DESC, id DESC",
    "price": "price, id",
    "-price": "price DESC, id DESC",
    "sales": "sales, id",
    "-sales": "sales DESC, id DESC",
    "-views": "views DESC, id DESC",
    "-favorites": "favorites DESC, id DESC",
}
DEFAULT_SKU_ORDERING = "-create_time"
HOT_SKU_COUNT = 2

# The columns of a sku-card, of the SKU table aliased `s` (sku_cards turns rows of them into cards).
CARD_COLUMNS = "s.id, s.name, s.price, s.default_image, s.comments"
_CENT = Decimal("0.01")


class Crumb(TypedDict, total=False):
    """One level of a breadcrumb."""

    id: int
    name: str
    url: str


Card = dict[str, Any]  # API.md sku-card: {"id", "name", "price", "default_image_url", "comments"}


def _rows(statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Every row of one read statement, on the catalog's read database (a replica when there is one)."""
    return lag_tolerant_rows(statement, params)


def money(value: Decimal | float | int) -> str:
    """A price as the API writes it: two decimals, "3388.00" (SQLite hands decimals back as float or int).

    A stored price has at most two decimals, so a float's two-decimal form is exactly what Django's decimal
    converter would give (a tenth of its cost: it is paid for every card of a list).
    """
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value}.00"
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_EVEN):f}"


@lru_cache(maxsize=4096)
def _image_url(name: str | None) -> str | None:
    """The public URL of a stored file ("/media/goods/…png", or the storage's full URL), None when empty.

    Remembered per name: media URLs are public and fixed (settings.STORAGES: no signed, expiring URLs), and
    building one was a tenth of a list page's time.
    """
    return default_storage.url(name) if name else None


@receiver(setting_changed)
def _media_settings_changed(*, setting: str, **kwargs: Any) -> None:
    """Tests that change where media is served from get URLs of the new place."""
    if setting in {"MEDIA_URL", "STORAGES"}:
        _image_url.cache_clear()


def _card(row: tuple[Any, ...]) -> Card:
    sku_id, name, price, image, comments = row
    return {
        "id": sku_id,
        "name": name,
        "price": money(price),
        "default_image_url": _image_url(image),
        "comments": comments,
    }


class CardList(Sequence[Card]):
    """A result list read a page at a time (what the paginator slices): its size, then the cards of one page."""

    def __init__(self, count: Callable[[], int], cards: Callable[[int, int], list[Card]]) -> None:
        self._count_of, self._cards = count, cards
        self._count: int | None = None

    def count(self) -> int:  # type: ignore[override]
        """Number of results (what the paginator reads first)."""
        if self._count is None:
            self._count = self._count_of()
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Card: ...

    @overload
    def __getitem__(self, index: slice) -> list[Card]: ...

    def __getitem__(self, index: int | slice) -> Card | list[Card]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        stop = self.count() if stop is None else min(stop, self.count())
        return self._cards(start, stop - start) if stop > start else []


# The three levels of a third-level category c3 (and the first level's channel link), joined by a statement.
_BREADCRUMB_COLUMNS = (
    'c3.id, c3.name, c2.id, c2.name, c1.id, c1.name, (SELECT ch.url FROM "tb_goods_channel" ch'
    " WHERE ch.category_id = c1.id ORDER BY ch.sequence, ch.id LIMIT 1)"
)
_BREADCRUMB_JOINS = (
    'JOIN "tb_goods_category" c2 ON c2.id = c3.parent_id JOIN "tb_goods_category" c1 ON c1.id = c2.parent_id'
)


def _breadcrumb(row: Sequence[Any]) -> dict[str, Crumb]:
    """`{"cat1": {id, name, url}, "cat2": {id, name}, "cat3": {id, name}}` from the _BREADCRUMB_COLUMNS."""
    id3, name3, id2, name2, id1, name1, url = row
    return {
        "cat1": {"id": id1, "name": name1, "url": safe_link(url or "")},
        "cat2": {"id": id2, "name": name2},
        "cat3": {"id": id3, "name": name3},
    }


def category_breadcrumb(category_id: int) -> dict[str, Crumb]:
    """The breadcrumb of a third-level category; 404 for another level or an unknown id."""
    rows = _rows(
        f'SELECT {_BREADCRUMB_COLUMNS} FROM "tb_goods_category" c3 {_BREADCRUMB_JOINS} WHERE c3.id = %s',
        [category_id],
    )
    if not rows:
        raise NotFoundError()
    return _breadcrumb(rows[0])


@dataclass(frozen=True)
class SKUFilter:
    """What narrows a sku-card list: a price range (inclusive), a brand, a category of any level (search)."""

    price_min: Decimal | None = None
    price_max: Decimal | None = None
    brand_id: int | None = None
    category_id: int | None = None

    def conditions(self, sku: str) -> tuple[list[str], list[Any]]:
        """SQL conditions on the SKU table aliased `sku`, with their parameters."""
        conditions: list[str] = []
        params: list[Any] = []
        if self.price_min is not None:
            conditions.append(f"{sku}.price >= %s")
            params.append(self.price_min)
        if self.price_max is not None:
            conditions.append(f"{sku}.price <= %s")
            params.append(self.price_max)
        if self.brand_id is not None:
            conditions.append(f'{sku}.spu_id IN (SELECT id FROM "tb_spu" WHERE brand_id = %s)')
            params.append(self.brand_id)
        if self.category_id is not None:
            conditions.append(f"{sku}.category_id IN ({_THIRD_LEVEL_BELOW})")
            params += [self.category_id] * 3
        return conditions, params


NO_FILTER = SKUFilter()
# The third-level categories at or below a category of any level (its id thrice).
_THIRD_LEVEL_BELOW = (
    'SELECT c3.id FROM "tb_goods_category" c3 JOIN "tb_goods_category" c2 ON c2.id = c3.parent_id'
    " WHERE c2.parent_id IS NOT NULL AND (c3.id = %s OR c2.id = %s OR c2.parent_id = %s)"
)


def _category_level(category_id: int) -> tuple[int, int]:
    """(level 1-3, its own on-sale SKUs as kept by the database) of a category; 404 when unknown."""
    rows = _rows(
        'SELECT c.on_sale_skus, p.id, p.parent_id FROM "tb_goods_category" c'
        ' LEFT JOIN "tb_goods_category" p ON p.id = c.parent_id WHERE c.id = %s',
        [category_id],
    )
    if not rows:
        raise NotFoundError()
    own, parent, grandparent = rows[0]
    return (3 if grandparent is not None else 1 if parent is None else 2), int(own)


def category_page_statement(ordering: str, conditions: Sequence[str] = ()) -> str:
    """The statement reading one page of a third-level category's list in this ordering (a walk of its partial
    index), narrowed by more conditions on the SKU table `s` when given."""
    order = SKU_ORDERINGS[ordering]  # a fixed ORDER BY of this module, never the client's text
    where = " AND ".join(["s.category_id = %s", "s.is_launched", *conditions])
    return f'SELECT {CARD_COLUMNS} FROM "tb_sku" s WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s'


def category_skus(*, category_id: int, ordering: str | None, narrow: SKUFilter = NO_FILTER) -> CardList:
    """On-sale sku-cards at or below a category of any level, in the requested order (400 for another order).

    A third-level category's page walks its index; a first- or second-level one
    reads the SKUs of every third-level category below it and sorts them. The
    count is the one the database keeps, unless a filter narrows the list.
    """
    ordering = ordering or DEFAULT_SKU_ORDERING
    if ordering not in SKU_ORDERINGS:
        raise FieldError("ordering", _("Choose one of: %(choices)s.") % {"choices": ", ".join(SKU_ORDERINGS)})
    level, own = _category_level(category_id)
    conditions, params = narrow.conditions("s")
    if level == 3:
        statement, where_params = category_page_statement(ordering, conditions), [category_id, *params]
        source = ' FROM "tb_sku" s WHERE ' + " AND ".join(["s.category_id = %s", "s.is_launched", *conditions])
    else:
        source = f' FROM "tb_sku" s WHERE s.category_id IN ({_THIRD_LEVEL_BELOW}) AND s.is_launched'
        source += "".join(f" AND {condition}" for condition in conditions)
        where_params = [category_id] * 3 + params
        statement = f"SELECT {CARD_COLUMNS}{source} ORDER BY {SKU_ORDERINGS[ordering]} LIMIT %s OFFSET %s"

    def count() -> int:
        if conditions:
            return int(_rows(f"SELECT COUNT(*){source}", where_params)[0][0])
        if level == 3:
            return own
        below = f'SELECT SUM(on_sale_skus) FROM "tb_goods_category" WHERE id IN ({_THIRD_LEVEL_BELOW})'
        return int(_rows(below, [category_id] * 3)[0][0] or 0)

    def cards(offset: int, limit: int) -> list[Card]:
        return [_card(row) for row in _rows(statement, [*where_params, limit, offset])]

    return CardList(count, cards)


def category_hot_skus(*, category_id: int) -> list[Card]:
    """The best-selling on-sale sku-cards of a third-level category (404 for another level)."""
    if _category_level(category_id)[0] != 3:
        raise NotFoundError()
    return [_card(row) for row in _rows(category_page_statement("-sales"), [category_id, HOT_SKU_COUNT, 0])]


def sku_cards(rows: Sequence[tuple[Any, ...]]) -> list[Card]:
    """Sku-cards of rows of the CARD_COLUMNS, in their order (search reads them with its hits)."""
    return [_card(row) for row in rows]


def _spec_matrix(*, sku_id: int, spu_id: int) -> list[dict[str, Any]]:
    """Each specification of the SPU with its options, and the on-sale sibling SKU each option leads to.

    The sibling of option `o` of specification `s` is the SKU with `o` for `s`
    and the current SKU's options for every other specification (None if no
    such SKU is on sale).
    """
    specs: dict[int, dict[str, Any]] = {}
    for spec_id, spec_name, option_id, value in _rows(
        'SELECT s.id, s.name, o.id, o.value FROM "tb_spu_specification" s'
        ' LEFT JOIN "tb_specification_option" o ON o.spec_id = s.id WHERE s.spu_id = %s ORDER BY s.id, o.id',
        [spu_id],
    ):
        spec = specs.setdefault(spec_id, {"id": spec_id, "name": spec_name, "options": []})
        if option_id is not None:
            spec["options"].append({"id": option_id, "value": value, "sku_id": None})
    chosen: dict[int, dict[int, int]] = defaultdict(dict)
    for sibling, spec_id, option_id in _rows(
        'SELECT ss.sku_id, ss.spec_id, ss.option_id FROM "tb_sku_specification" ss'
        ' JOIN "tb_sku" k ON k.id = ss.sku_id WHERE k.spu_id = %s AND k.is_launched',
        [spu_id],
    ):
        chosen[sibling][spec_id] = option_id
    spec_ids = list(specs)
    sku_by_key = {tuple(options.get(spec_id) for spec_id in spec_ids): sibling for sibling, options in chosen.items()}
    current = [chosen[sku_id].get(spec_id) for spec_id in spec_ids]
    for position, spec in enumerate(specs.values()):
        for option in spec["options"]:
            option["sku_id"] = sku_by_key.get((*current[:position], option["id"], *current[position + 1 :]))
    return list(specs.values())


def sku_detail(*, sku_id: int) -> dict[str, Any]:
    """An on-sale SKU of a third-level category: card fields, caption, prices, stock, sales, images, breadcrumb,
    SPU descriptions and spec matrix (404 otherwise)."""
    rows = _rows(
        "SELECT k.id, k.name, k.price, k.default_image, k.comments, k.caption, k.market_price, k.stock, k.sales,"
        f" p.id, p.name, p.desc_detail, p.desc_pack, p.desc_service, {_BREADCRUMB_COLUMNS}"
        ' FROM "tb_sku" k JOIN "tb_spu" p ON p.id = k.spu_id JOIN "tb_goods_category" c3 ON c3.id = k.category_id'
        f" {_BREADCRUMB_JOINS} WHERE k.id = %s AND k.is_launched",
        [sku_id],
    )
    if not rows:
        raise NotFoundError()
    row = rows[0]
    detail = _card(row[:5])
    caption, market_price, stock, sales, spu_id, spu_name, desc_detail, desc_pack, desc_service = row[5:14]
    breadcrumb = _breadcrumb(row[14:])
    images = _rows('SELECT image FROM "tb_sku_image" WHERE sku_id = %s ORDER BY id', [sku_id])
    detail.update(
        caption=caption,
        market_price=money(market_price),
        stock=stock,
        sales=sales,
        images=[_image_url(name) for (name,) in images],
        breadcrumb=breadcrumb,
        spu={
            "id": spu_id,
            "name": spu_name,
            "desc_detail": desc_detail,
            "desc_pack": desc_pack,
            "desc_service": desc_service,
        },
        specs=_spec_matrix(sku_id=sku_id, spu_id=spu_id),
    )
    return detail


def home_channels() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Navigation channels by group: `{group_id: {"channels": [{id, name, url}], "sub_cats": [...]}}`.

    `channels` are the top-level categories of the group's channels (id and
    name of the category, url of the channel); `sub_cats` are their
    second-level categories, each with its third-level `sub_cats`.
    """
    children: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cat_id, name, parent_id in _rows(
        'SELECT id, name, parent_id FROM "tb_goods_category" WHERE parent_id IS NOT NULL ORDER BY id', []
    ):
        children[parent_id].append({"id": cat_id, "name": name})
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for group_id, category_id, name, url in _rows(
        'SELECT ch.group_id, ch.category_id, c.name, ch.url FROM "tb_goods_channel" ch'
        ' JOIN "tb_goods_category" c ON c.id = ch.category_id ORDER BY ch.group_id, ch.sequence, ch.id',
        [],
    ):
        group = groups.setdefault(str(group_id), {"channels": [], "sub_cats": []})
        group["channels"].append({"id": category_id, "name": name, "url": safe_link(url)})
        for cat2 in children[category_id]:
            group["sub_cats"].append({**cat2, "sub_cats": children[cat2["id"]]})
    return groups


def home_contents() -> dict[str, list[dict[str, Any]]]:
    """Every home page slot by key, with its shown items in order (an empty list for an empty slot)."""
    slots: dict[str, list[dict[str, Any]]] = {}
    for key, content_id, title, url, image, text, sequence in _rows(
        'SELECT cc."key", c.id, c.title, c.url, c.image, c.text, c.sequence FROM "tb_content_category" cc'
        ' LEFT JOIN "tb_content" c ON c.category_id = cc.id AND c.status ORDER BY cc.id, c.sequence, c.id',
        [],
    ):
        items = slots.setdefault(key, [])
        if content_id is not None:
            items.append(
                {
                    "id": content_id,
                    "title": title,
                    "url": safe_link(url),
                    "image_url": _image_url(image),
                    "text": text,
                    "sequence": sequence,
                }
            )
    return slots


def home_floor_brands() -> dict[str, list[dict[str, Any]]]:
    """The brands of each home floor that has some, in order: `{floor: [{id, name, logo_url, category_id}]}`."""
    floors: dict[str, list[dict[str, Any]]] = {}
    for floor, brand_id, name, logo, category_id in _rows(
        'SELECT fb.floor, b.id, b.name, b.logo, fb.category_id FROM "tb_floor_brand" fb'
        ' JOIN "tb_brand" b ON b.id = fb.brand_id ORDER BY fb.floor, fb.sequence, fb.id',
        [],
    ):
        floors.setdefault(str(floor), []).append(
            {"id": brand_id, "name": name, "logo_url": _image_url(logo), "category_id": category_id}
        )
    return floors


def home() -> dict[str, Any]:
    """The home page: navigation channels by group, every content slot, the brands of each floor."""
    return {"categories": home_channels(), "contents": home_contents(), "floor_brands": home_floor_brands()}
