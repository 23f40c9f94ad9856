"""Paid exactly once under races: identical notifications, and returns racing notifications, in real threads."""

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
import requests
from rest_framework.test import APIClient

from meiduo.core.testing import run_together
from meiduo.orders.models import OrderInfo
from meiduo.payments.models import Payment

from .conftest import status_of
from .fake_alipay import FakeAlipay

THREADS = 10


def notify(params: dict[str, str]) -> Callable[[], tuple[int, bytes]]:
    def call() -> tuple[int, bytes]:
        response = APIClient().post(
            "/api/v1/payment/alipay/notify/", urlencode(params), content_type="application/x-www-form-urlencoded"
        )
        return response.status_code, response.content

    return call


def returned(params: dict[str, str]) -> Callable[[], tuple[int, bytes]]:
    def call() -> tuple[int, bytes]:
        response = APIClient().put(f"/api/v1/payment/status/?{urlencode(params)}")
        return response.status_code, response.content

    return call


def pay(fake: FakeAlipay, buyer_api: APIClient, order: OrderInfo) -> str:
    url = buyer_api.get(f"/api/v1/orders/{order.order_id}/payment/").json()["alipay_url"]
    assert requests.get(url, timeout=5).status_code == 200
    return fake.pay(order.order_id)


@pytest.mark.django_db(transaction=True)
def test_ten_identical_notifications_at_once_pay_the_order_once(fake_alipay: FakeAlipay, buyer_api, order):
    trade_no = pay(fake_alipay, buyer_api, order)
    params = fake_alipay.notify_params(order.order_id)
    results = run_together([notify(params) for _ in range(THREADS)])
    assert results == [(200, b"success")] * THREADS
    assert Payment.objects.count() == 1
    assert Payment.objects.get().trade_id == trade_no
    assert status_of(order) == OrderInfo.Status.UNSENT


@pytest.mark.django_db(transaction=True)
def test_returns_racing_notifications_record_one_payment(fake_alipay: FakeAlipay, buyer_api, order):
    trade_no = pay(fake_alipay, buyer_api, order)
    calls = [notify(fake_alipay.notify_params(order.order_id)) for _ in range(THREADS // 2)]
    calls += [returned(fake_alipay.return_params(order.order_id)) for _ in range(THREADS // 2)]
    results = run_together(calls)
    assert sorted(results) == sorted(
        [(200, b"success")] * (THREADS // 2) + [(200, f'{{"trade_id":"{trade_no}"}}'.encode())] * (THREADS // 2)
    )
    assert Payment.objects.count() == 1
    assert status_of(order) == OrderInfo.Status.UNSENT


@pytest.mark.django_db(transaction=True)
def test_a_notification_racing_the_cancellation_either_pays_or_is_rejected(fake_alipay: FakeAlipay, buyer_api, order):
    from meiduo.orders.lifecycle import order_cancel

    pay(fake_alipay, buyer_api, order)
    params = fake_alipay.notify_params(order.order_id)

    def cancel() -> tuple[int, bytes]:
        return (1 if order_cancel(order_id=order.order_id) else 0), b"cancel"

    results = run_together([notify(params), cancel])
    [cancelled] = [status for status, body in results if body == b"cancel"]
    [(notify_status, notify_body)] = [result for result in results if result[1] != b"cancel"]
    if cancelled:
        assert notify_status == 400
        assert status_of(order) == OrderInfo.Status.CANCELLED
        assert not Payment.objects.exists()
    else:
        assert (notify_status, notify_body) == (200, b"success")
        assert status_of(order) == OrderInfo.Status.UNSENT
        assert Payment.objects.count() == 1
