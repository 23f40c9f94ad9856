"""The one place stock changes: conditional atomic updates, SKUs in primary-key order, sales with F().

Taking n units is `UPDATE tb_sku SET stock = stock - n, sales = sales + n
WHERE id = … AND stock >= n` with its row count checked, so no interleaving
of buyers can oversell, on any database and without select_for_update (a
no-op on SQLite). Rows are touched in primary-key order (SKUs, then SPUs) so
concurrent transactions on PostgreSQL never deadlock. Callers run these inside
their transaction: a failure rolls back every unit taken before it.
"""

from collections import defaultdict
from collections.abc import Mapping

from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import ServiceError
from meiduo.goods.models import SKU, SPU


class StockShort(ServiceError):
    """Not enough stock of one SKU: 400 `{"message", "code": "stock_short", "sku_id"}` naming it."""

    code = "stock_short"

    def __init__(self, *, sku_id: int, name: str, message: str | None = None) -> None:
        self.sku_id = sku_id
        super().__init__(message or _("Not enough stock of “%(name)s”.") % {"name": name})

    def body(self) -> dict[str, object]:
        return {**super().body(), "sku_id": self.sku_id}


def _spu_totals(counts: Mapping[int, int]) -> dict[int, int]:
    """Units per SPU for units per SKU."""
    totals: dict[int, int] = defaultdict(int)
    for sku_id, spu_id in SKU.objects.filter(pk__in=list(counts)).values_list("id", "spu_id"):
        totals[spu_id] += counts[sku_id]
    return totals


def stock_take(*, counts: Mapping[int, int]) -> None:
    """Take `counts[sku_id]` units of each SKU and count them as sold; StockShort (changing nothing) if any is short.

    Must run inside a transaction (the caller's), which StockShort rolls back.
    """
    for sku_id in sorted(counts):
        count = counts[sku_id]
        taken = SKU.objects.filter(pk=sku_id, stock__gte=count).update(
            stock=F("stock") - count, sales=F("sales") + count
        )
        if taken != 1:
            name = SKU.objects.filter(pk=sku_id).values_list("name", flat=True).first() or str(sku_id)
            raise StockShort(sku_id=sku_id, name=name)
    for spu_id, count in sorted(_spu_totals(counts).items()):
        SPU.objects.filter(pk=spu_id).update(sales=F("sales") + count)


def stock_return(*, counts: Mapping[int, int]) -> None:
    """Put units back into stock and take them off the sales counts (cancelled orders)."""
    for sku_id in sorted(counts):
        count = counts[sku_id]
        SKU.objects.filter(pk=sku_id).update(stock=F("stock") + count, sales=Greatest(F("sales") - count, Value(0)))
    for spu_id, count in sorted(_spu_totals(counts).items()):
        SPU.objects.filter(pk=spu_id).update(sales=Greatest(F("sales") - count, Value(0)))


def stock_adjust(*, sku_id: int, delta: int) -> bool:
    """An operator adds `delta` units (or takes them off when negative); False, changing nothing, below zero.

    Relative to what is left now, so units that orders took meanwhile stay taken.
    """
    rows = SKU.objects.filter(pk=sku_id, stock__gte=max(-delta, 0))
    return rows.update(stock=F("stock") + delta) == 1
