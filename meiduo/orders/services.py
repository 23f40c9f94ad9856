"""Order writes: placing an order from the selected cart lines (never overselling) and reviewing its lines.

`order_place` is one short pipeline in one transaction (ARCHITECTURE.md,
convention 2): validate the selected lines → price them from the database →
take stock (meiduo.stock) → write the order with an address snapshot
and its lines → remove those lines from the cart. An unpaid order's payment deadline is
kept by the beat sweep (lifecycle.orders_cancel_expired), not by a job per order.
Any error on the way rolls all of it back. Status changes live in
meiduo.orders.lifecycle. A buyer removes a closed order from their list with `order_hide` (a flag; the order stays).
"""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.addresses.models import Address
from meiduo.carts.models import CartLine
from meiduo.core.errors import FieldError, ServiceError
from meiduo.goods.services import sku_comments_add
from meiduo.orders import lifecycle
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.orders.selectors import freight_for
from meiduo.stock.services import stock_take
from meiduo.users.models import User

# Statuses of an order its buyer may remove from their list: received (awaiting review), finished, cancelled.
HIDEABLE_STATUSES = (OrderInfo.Status.UNCOMMENTED, OrderInfo.Status.FINISHED, OrderInfo.Status.CANCELLED)


class OrderStillOpen(ServiceError):
    """An unpaid, unsent or unreceived order cannot leave the buyer's list: 409 `{"message", "code": "order_open"}`."""

    status_code = 409
    code = "order_open"
    default_message = _("Only a received, finished or cancelled order can be removed from your list.")


# Orders of one user within one second get a two-digit suffix: …000000042, …00000004201, …00000004202.
MAX_ORDERS_PER_USER_SECOND = 100


def order_id_prefix(*, user_id: int, at: datetime) -> str:
    """API.md's order number: local yyyymmddHHMMSS + the user id zero-padded to 9 digits."""
    return timezone.localtime(at).strftime("%Y%m%d%H%M%S") + f"{user_id:09d}"


def _order_insert(order: OrderInfo) -> OrderInfo:
    """Insert the order under the first free number of its second (a savepoint per try keeps the transaction)."""
    prefix = order_id_prefix(user_id=order.user_id, at=timezone.now())
    for attempt in range(MAX_ORDERS_PER_USER_SECOND):
        order.order_id = prefix if attempt == 0 else f"{prefix}{attempt:02d}"
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return order
        except IntegrityError:
            if not OrderInfo.objects.filter(pk=order.order_id).exists():
                raise
    raise ServiceError(_("Too many orders at once, please try again."))


def order_place(*, user: User, address_id: int, pay_method: int) -> OrderInfo:
    """Turn the user's selected cart lines into an order; 400 (nothing changed) on any rule it breaks."""
    address = (
        Address.objects.select_related("province", "city", "district")
        .filter(pk=address_id, user=user, is_deleted=False)
        .first()
    )
    if address is None:
        raise FieldError("address", _("Choose one of your addresses."))
    lines = list(
        CartLine.objects.filter(user=user, selected=True)
        .select_related("sku")
        .only("id", "sku_id", "count", "sku__id", "sku__name", "sku__price", "sku__is_launched")
        .order_by("sku_id")
    )
    if not lines:
        raise ServiceError(_("Select the products to order first."))
    for line in lines:
        if not line.sku.is_launched:
            raise ServiceError(_("“%(name)s” is no longer on sale.") % {"name": line.sku.name})
    goods_amount = sum((line.sku.price * line.count for line in lines), Decimal("0.00"))
    freight = freight_for(goods_amount)
    unpaid = pay_method == OrderInfo.PayMethod.ALIPAY

    with transaction.atomic():
        stock_take(counts={line.sku_id: line.count for line in lines})
        order = _order_insert(
            OrderInfo(
                user=user,
                receiver=address.receiver,
                province=address.province.name,
                city=address.city.name,
                district=address.district.name,
                place=address.place,
                mobile=address.mobile,
                tel=address.tel,
                email=address.email,
                total_count=sum(line.count for line in lines),
                total_amount=goods_amount + freight,
                freight=freight,
                pay_method=pay_method,
                status=OrderInfo.Status.UNPAID if unpaid else OrderInfo.Status.UNSENT,
            )
        )
        order_lines_write(order=order, lines=lines)
        removed, _by_model = _unchanged(lines).delete()
        if removed != len(lines):  # ordered by a concurrent request, or changed in the cart meanwhile
            raise ServiceError(_("Your cart changed while ordering; please check it and try again."))
    return order


def _unchanged(lines: list[CartLine]) -> QuerySet[CartLine]:
    """These cart lines, as long as they are still selected with the counts that were read."""
    pks_by_count: dict[int, list[int]] = defaultdict(list)
    for line in lines:
        pks_by_count[line.count].append(line.pk)
    same = reduce(or_, (Q(count=count, pk__in=pks) for count, pks in pks_by_count.items()))
    return CartLine.objects.filter(same, selected=True)


def order_lines_write(*, order: OrderInfo, lines: list[CartLine]) -> None:
    """The order's lines at the prices read from the database."""
    OrderGoods.objects.bulk_create(
        OrderGoods(order=order, sku_id=line.sku_id, count=line.count, price=line.sku.price) for line in lines
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
