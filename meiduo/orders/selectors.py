"""Order reads: settlement of the selected cart lines (or of one SKU bought now) with freight, a user's orders,
lines awaiting review."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, F, Prefetch, QuerySet, Value, When

from meiduo.carts.selectors import CART_SKU_FIELDS, CartItem, cart_items, sku_not_on_sale
from meiduo.carts.stores import DatabaseCart
from meiduo.core.errors import NotFoundError
from meiduo.goods.models import SKU
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.users.models import User

LINE_SKU_FIELDS = ("id", "name", "default_image")
# Statuses of payments' Refund that mean the money is back (by name: orders never imports payments).
REFUND_DONE_STATUSES = ("refunded", "marked")


def freight_for(goods_amount: Decimal) -> Decimal:
    """The freight of an order of this goods amount: ORDER_FREIGHT, or 0 from the free-shipping threshold on."""
    threshold = settings.ORDER_FREE_SHIPPING_THRESHOLD
    if threshold and goods_amount >= Decimal(threshold):
        return Decimal("0.00")
    return Decimal(settings.ORDER_FREIGHT).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Settlement:
    """What checking out the selected lines now would cost."""

    skus: list[CartItem]
    goods_amount: Decimal
    freight: Decimal


def order_settlement(*, user: User) -> Settlement:
    """The selected lines of the user's cart at current prices, and the freight."""
    return _settlement(cart_items(cart=DatabaseCart(user), selected_only=True))


def order_settlement_buy_now(*, sku_id: int, count: int) -> Settlement:
    """`count` units of one on-sale SKU bought now (the cart left aside) at its current price, and the freight.

    The stock is not checked here: placing the order takes it, and says so when it is short.
    """
    sku = SKU.objects.only(*CART_SKU_FIELDS).filter(pk=sku_id).first()
    if sku is None or not sku.is_launched:
        raise sku_not_on_sale(exists=sku is not None)
    return _settlement([CartItem(sku, count, True)])


def _settlement(items: list[CartItem]) -> Settlement:
    goods_amount = sum((item.sku.price * item.count for item in items), Decimal("0.00"))
    return Settlement(skus=items, goods_amount=goods_amount, freight=freight_for(goods_amount))


def _with_lines(orders: QuerySet[OrderInfo]) -> QuerySet[OrderInfo]:
    lines = OrderGoods.objects.select_related("sku").only(
        "id", "order_id", "sku_id", "count", "price", *(f"sku__{field}" for field in LINE_SKU_FIELDS)
    )
    return orders.prefetch_related(Prefetch("lines", queryset=lines.order_by("id")))


def _with_refund(orders: QuerySet[OrderInfo]) -> QuerySet[OrderInfo]:
    """Annotate `refund_status` ("refunding" / "refunded" / None) and `refund_amount` from the order's payment.

    A cancelled order that was paid is refunding until its refund is confirmed (or marked) refunded.
    """
    return orders.annotate(
        refund_status=Case(
            When(payment__refund__status__in=REFUND_DONE_STATUSES, then=Value("refunded")),
            When(status=OrderInfo.Status.CANCELLED, payment__isnull=False, then=Value("refunding")),
            default=None,
            output_field=CharField(),
        ),
        refund_amount=F("payment__amount"),
    )


def orders_of(*, user: User) -> QuerySet[OrderInfo]:
    """The user's orders but those they removed from their list, newest first, with their lines, SKUs and refund
    state (two queries per page)."""
    orders = OrderInfo.objects.filter(user=user, is_hidden=False).order_by("-create_time", "-order_id")
    return _with_refund(_with_lines(orders))


def order_detail(*, user: User, order_id: str) -> OrderInfo:
    """One of the user's orders with its lines and refund state, also one they removed from their list; 404 for an
    unknown order or someone else's."""
    order = _with_refund(_with_lines(OrderInfo.objects.filter(user=user, order_id=order_id))).first()
    if order is None:
        raise NotFoundError()
    return order


def order_lines_to_review(*, user: User, order_id: str) -> list[OrderGoods]:
    """Lines of the user's order still without a review (none unless the order awaits reviews)."""
    order = OrderInfo.objects.filter(user=user, order_id=order_id).only("order_id", "status").first()
    if order is None:
        raise NotFoundError()
    if order.status != OrderInfo.Status.UNCOMMENTED:
        return []
    lines = OrderGoods.objects.filter(order_id=order_id, is_commented=False).select_related("sku")
    return list(lines.order_by("id"))


# --- Reviews of an SKU (read by the catalog's detail page) ----------------------------------------------

MAX_COMMENTS = 100


def masked_username(username: str) -> str:
    """The name shown on an anonymous review: first and last character only (张三丰 → 张***丰)."""
    return f"{username[0]}***{username[-1]}" if len(username) > 1 else "***"


def sku_comments(*, sku_id: int) -> list[dict[str, Any]]:
    """The newest reviews of an SKU: `{username, comment, score, create_time}` (404 for an unknown SKU)."""
    if not SKU.objects.filter(pk=sku_id).exists():
        raise NotFoundError()
    lines = (
        OrderGoods.objects.filter(sku_id=sku_id, is_commented=True)
        .order_by("-comment_time", "-id")
        .values_list("order__user__username", "is_anonymous", "comment", "score", "comment_time")[:MAX_COMMENTS]
    )
    return [
        {
            "username": masked_username(username) if anonymous else username,
            "comment": comment,
            "score": score,
            "create_time": reviewed_at,
        }
        for username, anonymous, comment, score, reviewed_at in lines
    ]
