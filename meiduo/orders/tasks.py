"""Celery tasks of orders: thin wrappers over the lifecycle (payment deadlines)."""

from celery import shared_task

from meiduo.orders import lifecycle


@shared_task
def orders_cancel_expired() -> int:
    """Beat job: cancel every unpaid online-payment order past its payment time."""
    return lifecycle.orders_cancel_expired()
