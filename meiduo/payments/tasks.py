"""Background jobs of payments: settling payments whose notification went missing, refunds, the demo's notifications."""

from celery import Task, shared_task

from meiduo.payments import demo, services

DEMO_NOTIFY_RETRIES = 3


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


@shared_task(bind=True, ignore_result=True, max_retries=DEMO_NOTIFY_RETRIES)
def demo_notify_send(self: Task, trade_no: str) -> None:
    """The demo gateway notifies the shop of a trade, retrying later a few times as Alipay does.

    Run eagerly (tests) there is no queue to retry from: one try, and the settle job covers a loss.
    """
    delivered = demo.demo_notify_send(trade_no=trade_no)
    if not delivered and not self.request.is_eager and self.request.retries < DEMO_NOTIFY_RETRIES:
        raise self.retry(countdown=30 * 2**self.request.retries)
