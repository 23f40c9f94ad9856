"""Background jobs of payments: settling payments whose notification went missing, the demo's notifications."""

from celery import Task, shared_task

from meiduo.payments import demo, services

DEMO_NOTIFY_RETRIES = 3


@shared_task(ignore_result=True)
def payments_settle_pending() -> int:
    """Periodic: ask the gateway about started, unconfirmed payments and settle the paid ones."""
    return services.payments_settle_pending()


@shared_task(bind=True, ignore_result=True, max_retries=DEMO_NOTIFY_RETRIES)
def demo_notify_send(self: Task, trade_no: str) -> None:
    """The demo gateway notifies the shop of a trade, retrying later a few times as Alipay does.

    Run eagerly (tests) there is no queue to retry from: one try, and the settle job covers a loss.
    """
    delivered = demo.demo_notify_send(trade_no=trade_no)
    if not delivered and not self.request.is_eager and self.request.retries < DEMO_NOTIFY_RETRIES:
        raise self.retry(countdown=30 * 2**self.request.retries)
