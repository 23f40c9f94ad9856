"""Writes of the catalog: saving/deleting catalog rows with index and cache follow-up, visit and review counters."""

import datetime
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from meiduo.core.errors import NotFoundError
from meiduo.core.securitycache import security_cache
from meiduo.core.unavailable import UNAVAILABLE_ERRORS
from meiduo.goods.caching import catalog_version_bump
from meiduo.goods.models import (
    SKU,
    SPU,
    Brand,
    GoodsCategory,
    GoodsVisitCount,
    SKUSpecification,
    SpecificationOption,
)
from meiduo.goods.signals import skus_changed


def catalog_changed(*, sku_ids: Iterable[int] = ()) -> None:
    """Once the current transaction commits: invalidate cached catalog answers; tell search which SKUs changed."""
    transaction.on_commit(catalog_version_bump)
    ids = list(sku_ids)
    if ids:
        skus_changed.send(sender=SKU, sku_ids=ids)


def _sku_ids_named_by(obj: Model) -> list[int]:
    """SKUs whose search document holds a name stored in `obj` (SKU, SPU, brand or category)."""
    if isinstance(obj, SKU):
        return [obj.pk]
    if isinstance(obj, SPU):
        return list(SKU.objects.filter(spu_id=obj.pk).values_list("id", flat=True))
    if isinstance(obj, Brand):
        return list(SKU.objects.filter(spu__brand_id=obj.pk).values_list("id", flat=True))
    if isinstance(obj, GoodsCategory):
        return list(SKU.objects.filter(category_id=obj.pk).values_list("id", flat=True))
    return []


# Changed only by atomic updates (meiduo.stock, the review and sales counters), never by saving a row.
# A client's visit of a category counts once a day: its mark outlives the day it was made for.
VISIT_MARK_SECONDS = 26 * 3600
COUNTER_FIELDS = frozenset({"stock", "sales", "comments", "views", "favorites"})


@transaction.atomic
def catalog_object_save(*, obj: Model) -> Model:
    """Save any catalog row (the admin's path), then refresh the caches and search documents it affects.

    An existing SKU or SPU is saved without its counters: the values loaded with
    the row may be stale by now, and writing them back would undo orders and reviews.
    """
    if isinstance(obj, SKU | SPU) and not obj._state.adding:
        fields = obj._meta.concrete_fields
        obj.save(update_fields=[f.name for f in fields if not f.primary_key and f.name not in COUNTER_FIELDS])
    else:
        obj.save()
    catalog_changed(sku_ids=_sku_ids_named_by(obj))
    return obj


@transaction.atomic
def catalog_objects_delete(*, objs: Iterable[Model]) -> None:
    """Delete catalog rows (their SKUs' search documents go with them by cascade), then refresh the caches."""
    for obj in objs:
        obj.delete()
    catalog_changed()


@transaction.atomic
def spu_create(
    *,
    name: str,
    brand: Brand,
    category3: GoodsCategory,
    specs: dict[str, Sequence[str]],
    desc_detail: str = "",
    desc_pack: str = "",
    desc_service: str = "",
) -> SPU:
    """Create an SPU under a third-level category, with its specifications and their options in order."""
    if category3.parent is None or category3.parent.parent is None:
        raise NotFoundError()
    spu = SPU.objects.create(
        name=name,
        brand=brand,
        category1=category3.parent.parent,
        category2=category3.parent,
        category3=category3,
        desc_detail=desc_detail,
        desc_pack=desc_pack,
        desc_service=desc_service,
    )
    for spec_name, values in specs.items():
        spec = spu.specs.create(name=spec_name)
        SpecificationOption.objects.bulk_create([SpecificationOption(spec=spec, value=value) for value in values])
    catalog_changed()
    return spu


@transaction.atomic
def sku_create(
    *,
    spu: SPU,
    name: str,
    price: Decimal,
    options: Sequence[SpecificationOption] = (),
    caption: str = "",
    cost_price: Decimal | None = None,
    market_price: Decimal | None = None,
    stock: int = 0,
    is_launched: bool = True,
    default_image: str = "",
) -> SKU:
    """Create an SKU of an SPU with one option per specification; it is indexed for search after commit."""
    sku = SKU.objects.create(
        spu=spu,
        category_id=spu.category3_id,
        name=name,
        caption=caption,
        price=price,
        cost_price=cost_price if cost_price is not None else price,
        market_price=market_price if market_price is not None else price,
        stock=stock,
        is_launched=is_launched,
        default_image=default_image,
    )
    SKUSpecification.objects.bulk_create(
        [SKUSpecification(sku=sku, spec_id=option.spec_id, option=option) for option in options]
    )
    catalog_changed(sku_ids=[sku.id])
    return sku


UPDATABLE_SKU_FIELDS = frozenset(
    {"name", "caption", "price", "cost_price", "market_price", "is_launched", "default_image", "category"}
)


@transaction.atomic
def sku_update(*, sku: SKU, **changes: object) -> SKU:
    """Change descriptive fields of an SKU (never its counters or stock, which have their own atomic paths)."""
    unknown = set(changes) - UPDATABLE_SKU_FIELDS
    if unknown:
        raise TypeError(f"sku_update cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(sku, field, value)
    sku.save(update_fields=[*changes, "update_time"])
    catalog_changed(sku_ids=[sku.id])
    return sku


def category_visit_add(*, category_id: int, client: str, day: datetime.date | None = None) -> None:
    """Count a visit of a third-level category's list page today: once per client (address) and day.

    The first visit of a client claims a mark in the security cache with an atomic `add` (so reloads, scripts
    and concurrent posts of one client count once); the count itself is an atomic F() update.
    """
    if not GoodsCategory.objects.filter(pk=category_id, parent__parent__isnull=False).exists():
        raise NotFoundError()
    day = day or timezone.localdate()
    if not security_cache.add(f"visit:{day.isoformat()}:{category_id}:{client}", 1, timeout=VISIT_MARK_SECONDS):
        return
    visits = GoodsVisitCount.objects.filter(category_id=category_id, date=day)
    if visits.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            GoodsVisitCount.objects.create(category_id=category_id, date=day, count=1)
    except IntegrityError:  # another request created today's row first: count on it
        visits.update(count=F("count") + 1)


@transaction.atomic
def sku_comments_add(*, sku_id: int, count: int = 1) -> None:
    """Add reviews to the counters of an SKU and of its SPU (atomic F() updates)."""
    spu_id = SKU.objects.filter(pk=sku_id).values_list("spu_id", flat=True).first()
    if spu_id is None:
        raise NotFoundError()
    SKU.objects.filter(pk=sku_id).update(comments=F("comments") + count)
    SPU.objects.filter(pk=spu_id).update(comments=F("comments") + count)
    catalog_changed()


logger = logging.getLogger(__name__)


class _ViewCounts:
    """Product page views counted in this process, written to the database together (one UPDATE per SKU)."""

    def __init__(self) -> None:
        self.pending: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.written = time.monotonic()

    def add(self, sku_id: int) -> None:
        with self.lock:
            self.pending[sku_id] += 1
            due = time.monotonic() - self.written >= settings.SKU_VIEWS_FLUSH_SECONDS
        if due:
            self.write()

    def write(self) -> int:
        """Write the pending views (back into the buffer if the database is unavailable); how many SKUs."""
        with self.lock:
            pending, self.pending, self.written = self.pending, Counter(), time.monotonic()
        try:
            with transaction.atomic():
                for sku_id, views in sorted(pending.items()):  # one order: concurrent writers never deadlock
                    SKU.objects.filter(pk=sku_id).update(views=F("views") + views)
        except UNAVAILABLE_ERRORS:
            logger.warning("product views kept for later: the database is unavailable", exc_info=True)
            with self.lock:
                self.pending.update(pending)
        return len(pending)


_views = _ViewCounts()


def sku_views_add(*, sku_id: int) -> None:
    """Count one view of a product page (written with this process's other views every SKU_VIEWS_FLUSH_SECONDS)."""
    _views.add(sku_id)


def sku_views_write() -> int:
    """Write this process's pending product views now (gunicorn calls it as a worker exits); how many SKUs."""
    return _views.write()
