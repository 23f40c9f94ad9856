"""Order writes: placing an order (never overselling) and reviewing its lines.

`order_place` is one short pipeline in one transaction (ARCHITECTURE.md,
convention 2): validate the selected cart lines, or the one SKU bought at once ("buy now") → price them
from the database → write the order with an address snapshot and its lines → remove the ordered lines from
the cart (a "buy now" leaves the cart alone) → take stock (meiduo.stock; first, on MySQL). On PostgreSQL a
"buy now" takes the stock and writes the order and its line in one statement (`_BUY_NOW_WRITES`).
An unpaid order's payment deadline is kept by the beat sweep (lifecycle.orders_cancel_expired), not by a job per order.
Any error on the way rolls all of it back. Status changes live in
meiduo.orders.lifecycle. A buyer removes a closed order from their list with `order_hide` (a flag; the order stays).
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from functools import lru_cache

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.carts.selectors import sku_not_on_sale
from meiduo.core import sql
from meiduo.core.errors import FieldError, ServiceError
from meiduo.goods.services import sku_comments_add
from meiduo.orders import lifecycle
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.orders.selectors import freight_for
from meiduo.stock.services import TAKE, StockShort, stock_short, stock_take, take_params
from meiduo.users.models import User

# Statuses of an order its buyer may remove from their list: received (awaiting review), finished, cancelled.
HIDEABLE_STATUSES = (OrderInfo.Status.UNCOMMENTED, OrderInfo.Status.FINISHED, OrderInfo.Status.CANCELLED)


class OrderStillOpen(ServiceError):
    """An unpaid, unsent or unreceived order cannot leave the buyer's list: 409 `{"message", "code": "order_open"}`."""

    status_code = 409
    code = "order_open"
    default_message = _("Only a received, finished or cancelled order can be removed from your list.")


# Past what an order's total_amount (a DECIMAL) and total_count (a 32-bit integer on PostgreSQL) columns hold.
_AMOUNT = OrderInfo._meta.get_field("total_amount")
MAX_ORDER_AMOUNT = Decimal(10) ** (_AMOUNT.max_digits - _AMOUNT.decimal_places)
MAX_ORDER_COUNT = 2**31 - 1
# Orders of one user within one second get a two-digit suffix: …000000042, …00000004201, …00000004202.
MAX_ORDERS_PER_USER_SECOND = 100


class _NumbersGiven:
    """The last suffix this process gave each order number prefix of the current second.

    A user's next order in the same second tries the following number first, instead of the taken one (a
    failed insert and a read of the highest number). Only a guess: another process may have taken it, and
    the insert's conflict check still decides. Forgotten when the second changes, so it stays small.
    """

    def __init__(self) -> None:
        self.second = ""
        self.suffixes: dict[str, int] = {}

    def next_suffix(self, prefix: str) -> int:
        """The suffix to try first (0: the bare prefix)."""
        if prefix[:14] != self.second:
            self.second, self.suffixes = prefix[:14], {}
        return self.suffixes.get(prefix, -1) + 1

    def given(self, prefix: str, suffix: int) -> None:
        self.suffixes[prefix] = suffix


_numbers_given = _NumbersGiven()


def _numbered(prefix: str, suffix: int) -> str:
    return f"{prefix}{suffix:02d}" if suffix else prefix


# The placement's fixed statements (meiduo.core.sql): building querysets cost more than running them.
# The user's address `a` (not deleted) as the order's snapshot: its first 8 columns, with its area names.
_ADDRESS_SNAPSHOT = """
    SELECT a."receiver", p."name", c."name", d."name", a."place", a."mobile", a."tel", a."email", {columns}
    FROM "tb_address" a
    JOIN "tb_areas" p ON p."id" = a."province_id"
    JOIN "tb_areas" c ON c."id" = a."city_id"
    JOIN "tb_areas" d ON d."id" = a."district_id"
    {joins}
    WHERE a."id" = %s AND a."user_id" = %s AND NOT a."is_deleted"
"""
# The address and the user's selected cart lines with their SKUs, in one statement: no row when the address is not
# the user's, one row with no line when nothing is selected.
_ADDRESS_AND_LINES = (
    _ADDRESS_SNAPSHOT.format(
        columns='l."id", l."sku_id", l."count", s."name", s."price", s."is_launched"',
        joins='LEFT JOIN "tb_cart_line" l ON l."user_id" = a."user_id" AND l."selected"\n'
        '    LEFT JOIN "tb_sku" s ON s."id" = l."sku_id"',
    )
    + '    ORDER BY l."sku_id"\n'
)
# "Buy now": the address and the one SKU bought, in one statement; the SKU's columns are NULL when it does not exist.
_ADDRESS_AND_SKU = _ADDRESS_SNAPSHOT.format(
    columns='s."id", s."name", s."price", s."is_launched", s."stock"', joins='LEFT JOIN "tb_sku" s ON s."id" = %s'
)
_ORDER_COLUMNS = """
        "order_id", "user_id", "receiver", "province", "city", "district", "place", "mobile", "tel", "email",
        "total_count", "total_amount", "freight", "pay_method", "status", "create_time", "update_time",
        "is_hidden", "carrier", "tracking_number"
"""
_ORDER_VALUES = ", ".join(["%s"] * 20)
_ORDER_INSERT = f"""
    INSERT INTO "tb_order_info" ({_ORDER_COLUMNS})
    VALUES ({_ORDER_VALUES})
    ON CONFLICT ("order_id") DO NOTHING
"""  # noqa: S608 - placeholders only
# The highest number the user has in one second: the prefix, or the prefix with the highest suffix.
_LAST_NUMBER = 'SELECT MAX("order_id") FROM "tb_order_info" WHERE "user_id" = %s AND "order_id" BETWEEN %s AND %s'
_LINE_COLUMNS = (
    '"order_id", "sku_id", "count", "price", "comment", "score", "is_anonymous", "is_commented", '
    '"create_time", "update_time"'
)
# A line's values: its order's number, then the rest (sku, count, price, …, is_anonymous, is_commented, times).
_LINE_VALUES_AFTER_ORDER = "%s, %s, %s, '', 5, %s, %s, %s, %s"
_LINE_VALUES = f"%s, {_LINE_VALUES_AFTER_ORDER}"
# PostgreSQL, "buy now": the stock taken, the order and its line written, in one statement that commits on its own
# (data-modifying CTEs). The order is inserted only from the SKU row the take changed, and the line only from the
# order inserted: no row back means the stock was short (nothing written); a number already taken is a unique
# violation, which undoes the whole statement. Two round trips fewer than BEGIN, three writes and COMMIT.
_BUY_NOW_WRITES = f"""
    WITH "taken" AS ({TAKE} RETURNING "id"),
    "placed" AS (
        INSERT INTO "tb_order_info" ({_ORDER_COLUMNS})
        SELECT {_ORDER_VALUES} FROM "taken"
        RETURNING "order_id"
    )
    INSERT INTO "tb_order_goods" ({_LINE_COLUMNS})
    SELECT "order_id", {_LINE_VALUES_AFTER_ORDER} FROM "placed"
    RETURNING "order_id"
"""  # noqa: S608 - placeholders only


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A line as it is ordered: the SKU at its current price, and the cart line it came from (None: bought now)."""

    cart_line_id: int | None
    sku_id: int
    count: int
    price: Decimal


@dataclass(frozen=True, slots=True)
class NewOrder:
    """An order about to be written: the buyer, the address snapshot, the totals, and its time.

    A plain record, not an OrderInfo: building a model instance cost a tenth of the placement's own work.
    """

    user_id: int
    address: tuple[str, ...]  # receiver, province, city, district, place, mobile, tel, email
    total_count: int
    total_amount: Decimal
    freight: Decimal
    pay_method: int
    status: int
    create_time: datetime


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """What placing an order gives back: its number."""

    order_id: str


@lru_cache(maxsize=4)
def _local_second(at: datetime, zone: tzinfo) -> str:
    """`at` as yyyymmddHHMMSS in `zone`, remembered for the last few seconds asked (the time zone's conversion and
    strftime were 2% of a buy now's CPU; the orders of one second share them)."""
    return at.astimezone(zone).strftime("%Y%m%d%H%M%S")


def order_id_prefix(*, user_id: int, at: datetime) -> str:
    """API.md's order number: local yyyymmddHHMMSS + the user id zero-padded to 9 digits."""
    return _local_second(at.replace(microsecond=0), timezone.get_current_timezone()) + f"{user_id:09d}"


def _order_insert(order: NewOrder, stamp: object) -> str:
    """Insert the order under the first free number of its second (`order.create_time`, `stamp` as the database
    takes it); its number.

    `INSERT … ON CONFLICT DO NOTHING`: a number taken (an order of the same second) inserts nothing, and the
    highest number of that second tells the next one to try. The first try is the number after the last one
    this process gave in this second (`_NumbersGiven`). Without upserts (MySQL) each try is an ORM
    insert under a savepoint, which keeps the transaction when the number is taken.
    """
    prefix = order_id_prefix(user_id=order.user_id, at=order.create_time)
    suffix = _first_suffix(prefix)
    if not sql.upserts():
        return _order_insert_by_savepoints(order, prefix, suffix)
    order_id = _numbered(prefix, suffix)
    values = _order_values(order, stamp)
    while not sql.changed(_ORDER_INSERT, [order_id, *values]):
        suffix = _next_suffix(order.user_id, prefix)
        order_id = _numbered(prefix, suffix)
    _numbers_given.given(prefix, suffix)
    return order_id


def _order_values(order: NewOrder, stamp: object) -> list[object]:
    """The order row's values after its number (`_ORDER_COLUMNS`)."""
    return [
        order.user_id, *order.address, order.total_count, order.total_amount, order.freight, order.pay_method,
        order.status, stamp, stamp, False, "", "",
    ]  # fmt: skip


def _line_values(line: OrderLine, stamp: object) -> tuple[object, ...]:
    """A line row's values after its order's number (`_LINE_VALUES_AFTER_ORDER`)."""
    return (line.sku_id, line.count, line.price, False, False, stamp, stamp)


def _within_second(suffix: int) -> int:
    """The suffix, or ServiceError past the MAX_ORDERS_PER_USER_SECOND numbers a user has in one second."""
    if suffix >= MAX_ORDERS_PER_USER_SECOND:
        raise ServiceError(_("Too many orders at once, please try again."))
    return suffix


def _first_suffix(prefix: str) -> int:
    """The suffix to try first under this prefix (`_NumbersGiven`); ServiceError past 99."""
    return _within_second(_numbers_given.next_suffix(prefix))


def _next_suffix(user_id: int, prefix: str) -> int:
    """The suffix after the highest number the user has under this prefix (its second); ServiceError past 99."""
    (last,) = sql.rows(_LAST_NUMBER, [user_id, prefix, f"{prefix}99"])[0]
    return _within_second(int(last[len(prefix) :] or 0) + 1 if last else 1)


def _buy_now_written(order: NewOrder, stamp: object, line: OrderLine) -> str:
    """PostgreSQL: take the stock and write the order and its line in one statement (`_BUY_NOW_WRITES`); its
    number. StockShort when the units are gone; under the first free number of its second, as `_order_insert`."""
    prefix = order_id_prefix(user_id=order.user_id, at=order.create_time)
    suffix = _first_suffix(prefix)
    values = _order_values(order, stamp)
    take = take_params(sku_id=line.sku_id, count=line.count)
    while True:
        order_id = _numbered(prefix, suffix)
        params = [*take, order_id, *values, *_line_values(line, stamp)]
        try:
            # Inside a caller's transaction, under a savepoint: a taken number must not break that transaction.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                placed = sql.rows(_BUY_NOW_WRITES, params)
        except IntegrityError:
            if not OrderInfo.objects.filter(pk=order_id).exists():
                raise
            suffix = _next_suffix(order.user_id, prefix)
            continue
        if not placed:
            raise stock_short(sku_id=line.sku_id)
        _numbers_given.given(prefix, suffix)
        return order_id


def _order_insert_by_savepoints(order: NewOrder, prefix: str, first: int) -> str:
    """`_order_insert` where a taken number is an IntegrityError: each try under a savepoint, from `first` on."""
    receiver, province, city, district, place, mobile, tel, email = order.address
    row = OrderInfo(
        user_id=order.user_id, receiver=receiver, province=province, city=city, district=district, place=place,
        mobile=mobile, tel=tel, email=email, total_count=order.total_count, total_amount=order.total_amount,
        freight=order.freight, pay_method=order.pay_method, status=order.status, create_time=order.create_time,
        update_time=order.create_time,
    )  # fmt: skip
    for attempt in range(first, MAX_ORDERS_PER_USER_SECOND):
        row.order_id = _numbered(prefix, attempt)
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            _numbers_given.given(prefix, attempt)
            return row.order_id
        except IntegrityError:
            if not OrderInfo.objects.filter(pk=row.order_id).exists():
                raise
    raise ServiceError(_("Too many orders at once, please try again."))


def _address_and_cart_lines(*, user: User, address_id: int) -> tuple[tuple[str, ...], list[OrderLine]]:
    """The address snapshot and the user's selected cart lines at current prices; 400 on any rule they break."""
    found = sql.rows(_ADDRESS_AND_LINES, [address_id, user.pk])
    if not found:
        raise FieldError("address", _("Choose one of your addresses."))
    lines = []
    for line_id, sku_id, count, name, price, is_launched in (row[8:] for row in found if row[8] is not None):
        if not is_launched:
            raise ServiceError(_("“%(name)s” is no longer on sale.") % {"name": name})
        lines.append(OrderLine(line_id, sku_id, count, sql.decimal_of(price)))
    if not lines:
        raise ServiceError(_("Select the products to order first."))
    return found[0][:8], lines


def _address_and_sku(*, user: User, address_id: int, sku_id: int, count: int) -> tuple[tuple[str, ...], OrderLine]:
    """The address snapshot and the SKU bought now at its current price; 400 on any rule they break."""
    found = sql.rows(_ADDRESS_AND_SKU, [sku_id, address_id, user.pk])
    if not found:
        raise FieldError("address", _("Choose one of your addresses."))
    found_id, name, price, is_launched, stock = found[0][8:]
    if found_id is None or not is_launched:
        raise sku_not_on_sale(exists=found_id is not None)
    if count > stock:  # refused before anything is written (taking the stock checks it again, atomically)
        raise StockShort(sku_id=sku_id, name=name)
    return found[0][:8], OrderLine(None, sku_id, count, sql.decimal_of(price))


def order_place(
    *, user: User, address_id: int, pay_method: int, sku_id: int | None = None, count: int = 1
) -> PlacedOrder:
    """Turn the user's selected cart lines into an order; 400 (nothing changed) on any rule it breaks.

    With `sku_id`: "buy now", an order of `count` units of that SKU alone; the cart is left as it is.
    """
    if sku_id is None:
        address, lines = _address_and_cart_lines(user=user, address_id=address_id)
    else:
        address, line = _address_and_sku(user=user, address_id=address_id, sku_id=sku_id, count=count)
        lines = [line]
    goods_amount = sum((line.price * line.count for line in lines), Decimal("0.00"))
    freight = freight_for(goods_amount)
    total_count = sum(line.count for line in lines)
    if goods_amount + freight >= MAX_ORDER_AMOUNT or total_count > MAX_ORDER_COUNT:
        raise ServiceError(_("This order is too large; please order fewer items."))
    unpaid = pay_method == OrderInfo.PayMethod.ALIPAY
    now = timezone.now()
    order = NewOrder(
        user_id=user.pk,
        address=address,
        total_count=total_count,
        total_amount=goods_amount + freight,
        freight=freight,
        pay_method=pay_method,
        status=OrderInfo.Status.UNPAID if unpaid else OrderInfo.Status.UNSENT,
        create_time=now,
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    if sku_id is not None and connection.vendor == "postgresql":
        return PlacedOrder(_buy_now_written(order, stamp, lines[0]))
    counts = {line.sku_id: line.count for line in lines}
    # The stock is taken last where foreign keys are checked at commit (PostgreSQL, SQLite): a hot SKU's row is
    # then locked (PostgreSQL) from its update to the commit only, not while the order is written. MySQL checks
    # a line's key at once, under a shared lock on the SKU row, which two orders of one SKU would each hold while
    # waiting to update it (a deadlock): there the stock is taken first.
    stock_last = connection.features.can_defer_constraint_checks

    with transaction.atomic():
        if not stock_last:
            stock_take(counts=counts)
        order_id = _order_insert(order, stamp)
        order_lines_write(order_id=order_id, stamp=stamp, lines=lines)
        # Lines ordered by a concurrent request, or changed in the cart meanwhile:
        if sku_id is None and _cart_lines_remove(lines) != len(lines):
            raise ServiceError(_("Your cart changed while ordering; please check it and try again."))
        if stock_last:
            stock_take(counts=counts)
    return PlacedOrder(order_id)


def _cart_lines_remove(lines: list[OrderLine]) -> int:
    """Delete these cart lines as long as they are still selected with the counts that were read; how many went."""
    same = " OR ".join(['("id" = %s AND "count" = %s)'] * len(lines))
    return sql.changed(
        f'DELETE FROM "tb_cart_line" WHERE "selected" AND ({same})',  # noqa: S608 - placeholders only
        [value for line in lines for value in (line.cart_line_id, line.count)],
    )


def order_lines_write(*, order_id: str, stamp: object, lines: list[OrderLine]) -> None:
    """The order's lines at the prices read from the database (one INSERT); `stamp`: the order's time as the
    database takes it."""
    rows = ", ".join([f"({_LINE_VALUES})"] * len(lines))
    sql.changed(
        f'INSERT INTO "tb_order_goods" ({_LINE_COLUMNS}) VALUES {rows}',  # noqa: S608 - placeholders only
        [value for line in lines for value in (order_id, *_line_values(line, stamp))],
    )


@transaction.atomic
def order_comment_create(
    *, user: User, order_id: str, sku_id: int, comment: str, score: int, is_anonymous: bool
) -> OrderGoods:
    """Review one line of an order awaiting reviews; the last review finishes the order."""
    lifecycle.own_order(user=user, order_id=order_id)
    now = timezone.now()
    # Touching the order row first serialises concurrent reviews of one order, so the last one sees all others.
    if not OrderInfo.objects.filter(order_id=order_id, status=OrderInfo.Status.UNCOMMENTED).update(update_time=now):
        raise ServiceError(_("This order is not waiting for reviews."))
    line = OrderGoods.objects.filter(order_id=order_id, sku_id=sku_id).first()
    if line is None:
        raise FieldError("sku", _("This product is not in the order."))
    reviewed = OrderGoods.objects.filter(pk=line.pk, is_commented=False).update(
        is_commented=True, comment=comment, score=score, is_anonymous=is_anonymous, comment_time=now, update_time=now
    )
    if not reviewed:
        raise ServiceError(_("This product has already been reviewed."))
    sku_comments_add(sku_id=sku_id)
    lifecycle.order_finish_if_reviewed(order_id=order_id)
    line.refresh_from_db()
    return line


def order_hide(*, user: User, order_id: str) -> None:
    """Remove the buyer's closed order from their list (again: no change); 404 for another's, 409 while it is open.

    The order is only flagged: it stays in the database, in the admin and in the shop's accounts.
    """
    hideable = OrderInfo.objects.filter(order_id=order_id, user=user, status__in=HIDEABLE_STATUSES)
    if not hideable.update(is_hidden=True):
        lifecycle.own_order(user=user, order_id=order_id)  # 404 unless it is the user's
        raise OrderStillOpen()
