"""Helpers of the operations tests: orders with lines and payments at a chosen time, staff members with a role."""

from datetime import datetime
from decimal import Decimal

from meiduo.goods.models import SKU
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.payments.models import Payment
from meiduo.users.models import User


def order_make(
    *,
    user: User,
    when: datetime,
    lines: list[tuple[SKU, int]],
    status: int = OrderInfo.Status.UNSENT,
    paid: bool = True,
) -> OrderInfo:
    """An order placed at `when` with `lines` (SKU, count) at the SKUs' prices; paid (with a payment) if `paid`."""
    amount = sum((sku.price * count for sku, count in lines), Decimal("10.00"))
    number = OrderInfo.objects.count() + 1
    order = OrderInfo.objects.create(
        order_id=f"{when:%Y%m%d%H%M%S}{user.pk:06d}{number:04d}",
        user=user,
        receiver="收货人",
        province="广东省",
        city="深圳市",
        district="南山区",
        place="科技园",
        mobile="13800138000",
        total_count=sum(count for _sku, count in lines),
        total_amount=amount,
        freight=Decimal("10.00"),
        pay_method=OrderInfo.PayMethod.ALIPAY,
        status=status,
    )
    OrderInfo.objects.filter(pk=order.pk).update(create_time=when, pay_time=when if paid else None)
    OrderGoods.objects.bulk_create(
        OrderGoods(order=order, sku=sku, count=count, price=sku.price) for sku, count in lines
    )
    if paid:
        payment = Payment.objects.create(
            order=order, gateway="demo", trade_id=f"T{order.order_id}", amount=amount, source="notify"
        )
        Payment.objects.filter(pk=payment.pk).update(create_time=when)
    order.refresh_from_db()
    return order
