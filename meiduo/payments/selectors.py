"""Reads of the payments app: orders, payments and refunds as the payment services need them."""

from meiduo.orders.models import OrderInfo
from meiduo.payments.models import Payment, PaymentAttempt, Refund


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


def refund_of(*, payment: Payment) -> Refund | None:
    """The refund opened for a payment, if any."""
    return Refund.objects.filter(payment=payment).first()


def payment_of_cancelled_order(*, order_id: str) -> Payment | None:
    """The payment of an order that is cancelled now, with its order; None for an unpaid or live order."""
    payments = Payment.objects.select_related("order")
    return payments.filter(order_id=order_id, order__status=OrderInfo.Status.CANCELLED).first()


def cancelled_paid_orders_without_refund(*, limit: int) -> list[str]:
    """Order ids of cancelled orders whose payment has no refund yet (a refund start that was lost)."""
    owed = Payment.objects.filter(order__status=OrderInfo.Status.CANCELLED, refund__isnull=True)
    return list(owed.order_by("create_time").values_list("order_id", flat=True)[:limit])


def refunds_pending(*, limit: int) -> list[int]:
    """Ids of refunds the gateway has not confirmed, least recently tried first."""
    pending = Refund.objects.filter(status=Refund.Status.PENDING).order_by("update_time")
    return list(pending.values_list("pk", flat=True)[:limit])
