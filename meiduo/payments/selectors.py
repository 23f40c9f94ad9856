"""Reads of the payments app: orders and payments as the payment services need them."""

from meiduo.orders.models import OrderInfo
from meiduo.payments.models import Payment, PaymentAttempt


def order_for_payment(*, order_id: str) -> OrderInfo | None:
    """The order a gateway message names, whoever owns it; None when unknown."""
    return OrderInfo.objects.filter(order_id=order_id).first() if order_id else None


def order_status(*, order_id: str) -> int | None:
    """The order's current status, read afresh."""
    return OrderInfo.objects.filter(order_id=order_id).values_list("status", flat=True).first()


def payment_by_trade(*, trade_id: str) -> Payment | None:
    """The recorded payment of a gateway trade number."""
    return Payment.objects.filter(trade_id=trade_id).first()


def payment_attempts_pending(*, gateway: str, limit: int) -> list[str]:
    """Order ids, least recently started first, of unpaid online-payment orders whose payment started."""
    pending = PaymentAttempt.objects.filter(
        gateway=gateway, order__status=OrderInfo.Status.UNPAID, order__pay_method=OrderInfo.PayMethod.ALIPAY
    ).order_by("update_time")
    return list(pending.values_list("order_id", flat=True)[:limit])
