"""The one place stock changes: conditional atomic updates, SKUs in primary-key order, sales counted in the same update.

Taking n units is `UPDATE tb_sku SET stock = stock - n, sales = sales + n
WHERE id = … AND stock >= n` with its row count checked, so no interleaving
of buyers can oversell, on any database and without select_for_update (a
no-op on SQLite). Rows are touched in primary-key order so
concurrent transactions on PostgreSQL and MySQL never deadlock. Callers run these inside
their transaction: a failure rolls back every unit taken before it. The
placement's take (`stock_take`, on the order hot path) is written as fixed SQL
statements (meiduo.core.sql), the rarer changes with the ORM. On PostgreSQL a
"buy now" runs the same statement (`TAKE`) as the first step of the one
statement that writes its order (meiduo.orders.services): the order and its
line are inserted only from the row it took.

MySQL / MariaDB (InnoDB), what this module relies on there:
- READ COMMITTED (config/settings/base.py sets it; Django's default): stock_set reads the stock again on each
  try, which REPEATABLE READ would answer from the transaction's first snapshot (every try would fail).
  Each conditional UPDATE waits for a concurrent one's row lock and then tests the committed row, as on
  PostgreSQL.
- Conditions on the stock are written on `stock + 0` (`_stock`), so the UPDATE finds its row by the primary
  key. Given `stock >= n`, MariaDB may walk sku_stock_idx instead (a full index there: MySQL has no partial
  indexes), and an InnoDB UPDATE that looks its row up in an index on the very column a concurrent
  transaction changes can miss the row: an order refused with units left (orders/tests/test_concurrency.py).
- Sales go down with core.expressions.decreased: no negative number on the way, which an unsigned column refuses.

Every change but a placement writes a stock ledger row (StockLedgerEntry) in the same transaction: operator
changes (stock_adjust, stock_set, stock_upload_apply) and returns (stock_return: cancel, expiry, refund).
Placements are recorded by their order lines, so the order hot path gains no write.
An SPU keeps no sales count (its sales are the sum of its SKUs'): a placement writes no SPU row, so orders of
different SKUs of one SPU (the colours of one phone in a flash sale) never wait for each other's commit.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Value
from django.db.models.lookups import Exact, GreaterThanOrEqual, Lookup
from django.utils.translation import gettext_lazy as _

from meiduo.core import sql
from meiduo.core.errors import ServiceError
from meiduo.core.expressions import decreased
from meiduo.goods.models import SKU
from meiduo.stock.models import StockLedgerEntry

Source = StockLedgerEntry.Source
SET_ATTEMPTS = 5  # compare-and-set tries of stock_set while orders keep taking units


class StockShort(ServiceError):
    """Not enough stock of one SKU: 400 `{"message", "code": "stock_short", "sku_id"}` naming it."""

    code = "stock_short"

    def __init__(self, *, sku_id: int, name: str, message: str | None = None) -> None:
        self.sku_id = sku_id
        super().__init__(message or _("Not enough stock of “%(name)s”.") % {"name": name})

    def body(self) -> dict[str, object]:
        return {**super().body(), "sku_id": self.sku_id}


def _stock(lookup: type[Lookup], value: int) -> Lookup:
    """A condition on an SKU's stock that MySQL tests on the row found by its primary key (module docstring)."""
    return lookup(F("stock") + Value(0), value)


# Take n units of one SKU if it has them; parameters (n, n, sku_id, n). The stock condition is on `stock + 0`, as
# `_stock` writes it for the ORM (MySQL, module docstring). TAKE is also the first step of PostgreSQL's one-statement
# "buy now" (meiduo.orders.services), which inserts the order only from the row it took.
TAKE = 'UPDATE "tb_sku" SET "stock" = "stock" - %s, "sales" = "sales" + %s WHERE "id" = %s AND "stock" + 0 >= %s'


def take_params(*, sku_id: int, count: int) -> list[int]:
    """TAKE's parameters for `count` units of one SKU."""
    return [count, count, sku_id, count]


def stock_short(*, sku_id: int) -> StockShort:
    """The refusal of an order of this SKU, which no longer has the units asked for, naming it."""
    name = SKU.objects.filter(pk=sku_id).values_list("name", flat=True).first() or str(sku_id)
    return StockShort(sku_id=sku_id, name=name)


def stock_take(*, counts: Mapping[int, int]) -> None:
    """Take `counts[sku_id]` units of each SKU and count them as sold; StockShort (changing nothing) if any is short.

    Must run inside a transaction (the caller's), which StockShort rolls back. Fixed statements (the order hot
    path): one conditional update per SKU. Its SPU is not written: an SPU's sales are the sum of its SKUs'.
    """
    for sku_id in sorted(counts):
        if sql.changed(TAKE, take_params(sku_id=sku_id, count=counts[sku_id])) != 1:
            raise stock_short(sku_id=sku_id)


def stock_return(*, counts: Mapping[int, int], source: Source, order_id: str = "", actor_id: int | None = None) -> None:
    """Put units back into stock and take them off the sales counts (a cancelled or expired order), with a
    ledger row per SKU naming the order. Runs in the caller's transaction."""
    for sku_id in sorted(counts):
        count = counts[sku_id]
        SKU.objects.filter(pk=sku_id).update(stock=F("stock") + count, sales=decreased("sales", count))
    stocks = dict(SKU.objects.filter(pk__in=list(counts)).values_list("id", "stock"))
    StockLedgerEntry.objects.bulk_create(
        StockLedgerEntry(
            sku_id=sku_id, delta=counts[sku_id], stock_after=stocks[sku_id], source=source, order_id=order_id,
            actor_id=actor_id,
        )
        for sku_id in sorted(counts)
        if sku_id in stocks
    )  # fmt: skip


def _record(*, sku_id: int, delta: int, source: Source, actor_id: int | None, reason: str) -> StockLedgerEntry:
    """The ledger row of a change just made to one SKU (its row is locked by our update until commit)."""
    stock_after = SKU.objects.filter(pk=sku_id).values_list("stock", flat=True).get()
    return StockLedgerEntry.objects.create(
        sku_id=sku_id, delta=delta, stock_after=stock_after, source=source, actor_id=actor_id, reason=reason
    )


@transaction.atomic
def stock_adjust(
    *, sku_id: int, delta: int, actor_id: int | None, reason: str = "", source: Source = Source.OPERATOR
) -> StockLedgerEntry | None:
    """An operator adds `delta` units (or takes them off when negative); None, changing nothing, below zero.

    Relative to what is left now, so units that orders took meanwhile stay taken.
    """
    rows = SKU.objects.filter(_stock(GreaterThanOrEqual, max(-delta, 0)), pk=sku_id)
    if rows.update(stock=F("stock") + delta) != 1:
        return None
    return _record(sku_id=sku_id, delta=delta, source=source, actor_id=actor_id, reason=reason)


@transaction.atomic
def stock_set(
    *, sku_id: int, stock: int, actor_id: int | None, reason: str = "", source: Source = Source.OPERATOR
) -> StockLedgerEntry | None:
    """An operator sets the stock to what they counted; the ledger row holds the difference. None if unchanged.

    A compare-and-set (`… WHERE stock = <what was read>`), tried again when an order took units in between, so
    the difference written is the real one and no order's units are given back twice.
    """
    for _attempt in range(SET_ATTEMPTS):
        current = SKU.objects.filter(pk=sku_id).values_list("stock", flat=True).first()
        if current is None or current == stock:
            return None
        if SKU.objects.filter(_stock(Exact, current), pk=sku_id).update(stock=stock) == 1:
            return _record(sku_id=sku_id, delta=stock - current, source=source, actor_id=actor_id, reason=reason)
    raise StockBusy(sku_id=sku_id)


class StockBusy(ServiceError):
    """Orders kept taking units of the SKU while its stock was being set: try again."""

    code = "stock_busy"

    def __init__(self, *, sku_id: int) -> None:
        self.sku_id = sku_id
        super().__init__(_("Orders kept changing the stock of SKU %(sku)d: try again.") % {"sku": sku_id})


@dataclass(frozen=True)
class StockRow:
    """One line of a stock upload: set the stock to `stock`, or change it by `delta`; with a reason."""

    line: int
    sku_id: int
    stock: int | None
    delta: int | None
    reason: str


class StockUploadRejected(ServiceError):
    """Some lines of an upload could not be applied; nothing was changed. `errors`: (line, message)."""

    code = "stock_upload_rejected"

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__(_("No stock was changed: %(count)d lines could not be applied.") % {"count": len(errors)})


@transaction.atomic
def stock_upload_apply(*, rows: Sequence[StockRow], actor_id: int | None) -> list[StockLedgerEntry]:
    """Apply every line of an upload, or none: StockUploadRejected (changing nothing) naming the lines that fail
    (unknown SKU, a change below zero). SKUs are touched in the file's order, each through stock_set/stock_adjust."""
    known = set(SKU.objects.filter(pk__in=[row.sku_id for row in rows]).values_list("id", flat=True))
    errors: list[tuple[int, str]] = []
    entries: list[StockLedgerEntry] = []
    for row in rows:
        if row.sku_id not in known:
            errors.append((row.line, str(_("no SKU %(sku)d") % {"sku": row.sku_id})))
            continue
        if row.stock is not None:
            entry = stock_set(
                sku_id=row.sku_id, stock=row.stock, actor_id=actor_id, reason=row.reason, source=Source.UPLOAD
            )
        else:
            entry = stock_adjust(
                sku_id=row.sku_id, delta=row.delta or 0, actor_id=actor_id, reason=row.reason, source=Source.UPLOAD
            )
            if entry is None:
                errors.append((row.line, str(_("SKU %(sku)d has fewer units than that") % {"sku": row.sku_id})))
        if entry is not None:
            entries.append(entry)
    if errors:
        raise StockUploadRejected(errors)
    return entries
