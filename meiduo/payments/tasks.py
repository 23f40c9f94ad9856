"""Background jobs of payments: settling payments whose notification went missing, and refunds."""

from celery import shared_task

from meiduo.payments import services


@shared_task(ignore_result=True)
def payments_settle_pending() -> int:
    """Periodic: ask the gateway about started, unconfirmed payments and settle the paid ones."""
    return services.payments_settle_pending()


@shared_task(ignore_result=True)
def refund_open_for_order(order_id: str, requested_by_id: int | None = None) -> None:
    """A paid order was cancelled: open its refund (which starts issuing it)."""
    services.refund_open_for_order(order_id=order_id, requested_by_id=requested_by_id)


@shared_task(ignore_result=True)
def refund_issue(refund_id: int) -> bool:
    """Try one refund at the gateway now (the beat job retries it until the gateway confirms)."""
    return services.refund_issue(refund_id=refund_id)


@shared_task(ignore_result=True)
def refunds_retry() -> int:
    """Periodic: open refunds owed to cancelled paid orders and try every refund not yet confirmed."""
    return services.refunds_retry()
