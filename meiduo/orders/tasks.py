"""Celery tasks of orders: thin wrappers over the lifecycle (payment deadlines)."""

from celery import shared_task

from meiduo.orders import lifecycle


@shared_task
def order_expire(order_id: str) -> bool:
    """Cancel this order if it is still unpaid once its payment time is over."""
    return lifecycle.order_cancel_if_expired(order_id=order_id)


@shared_task
def orders_cancel_expired() -> int:
    """Beat job: cancel every unpaid online-payment order past its payment time."""
    return lifecycle.orders_cancel_expired()
