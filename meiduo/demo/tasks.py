"""Background job of the demo gateway: notifying the shop of a trade, as Alipay does."""

from celery import Task, shared_task

from meiduo.demo import gateway

DEMO_NOTIFY_RETRIES = 3


@shared_task(name="demo.notify_send", bind=True, ignore_result=True, max_retries=DEMO_NOTIFY_RETRIES)
def demo_notify_send(self: Task, trade_no: str) -> None:
    """The demo gateway notifies the shop of a trade, retrying later a few times as Alipay does.

    Run eagerly (tests) there is no queue to retry from: one try, and the settle job covers a loss.
    """
    delivered = gateway.demo_notify_send(trade_no=trade_no)
    if not delivered and not self.request.is_eager and self.request.retries < DEMO_NOTIFY_RETRIES:
        raise self.retry(countdown=30 * 2**self.request.retries)
