"""Money moves once under races, in real threads: notifications, returns, cancels, expiry and refund retries."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import requests
from rest_framework.test import APIClient

from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders.lifecycle import orders_cancel_expired
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.payments.models import Payment, Refund
from meiduo.payments.services import refund_issue, refunds_retry
from tests.support import run_together

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
def test_a_notification_racing_the_cancellation_ends_cancelled_and_refunded_once(
    fake_alipay: FakeAlipay, buyer_api, order
):
    from meiduo.orders.lifecycle import order_cancel

    pay(fake_alipay, buyer_api, order)
    params = fake_alipay.notify_params(order.order_id)

    def cancel() -> tuple[int, bytes]:
        return (1 if order_cancel(order_id=order.order_id) else 0), b"cancel"

    results = run_together([notify(params), cancel])
    assert sorted(results) == [(1, b"cancel"), (200, b"success")]
    # Cancelled first (the money arrived too late) or paid first (then cancelled): either way refunded once.
    assert status_of(order) == OrderInfo.Status.CANCELLED
    assert Payment.objects.count() == 1
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.REFUNDED
    assert fake_alipay.refunded(order.order_id) == order.total_amount


def settled(fake: FakeAlipay, buyer_api: APIClient, order: OrderInfo) -> None:
    """The order is paid at the fake Alipay and its notification accepted (status 2)."""
    pay(fake, buyer_api, order)
    assert notify(fake.notify_params(order.order_id))() == (200, b"success")


@pytest.mark.django_db(transaction=True)
def test_two_cancels_of_a_paid_order_refund_once_and_return_stock_once(fake_alipay: FakeAlipay, buyer, order):
    sku = SKUFactory.create(stock=8, sales=2)
    OrderGoods.objects.create(order=order, sku=sku, count=2, price=Decimal("1694.00"))
    buyer_api = APIClient()
    buyer_api.force_authenticate(buyer)
    settled(fake_alipay, buyer_api, order)

    def cancel() -> int:
        client = APIClient()
        client.force_authenticate(buyer)
        return client.put(f"/api/v1/orders/{order.order_id}/cancel/").status_code

    assert sorted(run_together([cancel, cancel])) == [200, 400]
    sku.refresh_from_db()
    assert (sku.stock, sku.sales) == (10, 0)
    refund = Refund.objects.get()
    assert (refund.status, refund.requested_by) == (Refund.Status.REFUNDED, buyer)
    assert fake_alipay.refunded(order.order_id) == order.total_amount


@pytest.mark.django_db(transaction=True)
def test_a_notification_racing_the_expiry_job_is_paid_or_refunded_never_kept(
    fake_alipay: FakeAlipay, buyer_api, order, settings
):
    pay(fake_alipay, buyer_api, order)
    OrderInfo.objects.filter(order_id=order.order_id).update(
        create_time=order.create_time - timedelta(seconds=settings.ORDER_PAY_TIMEOUT + 1)
    )
    params = fake_alipay.notify_params(order.order_id)
    results = run_together([notify(params), notify(params), orders_cancel_expired])
    assert results[:2] == [(200, b"success")] * 2
    assert Payment.objects.count() == 1
    refunds_retry()  # what the beat job does next
    if results[2] == 1:  # expired first: the money goes back
        assert status_of(order) == OrderInfo.Status.CANCELLED
        assert Refund.objects.get().status == Refund.Status.REFUNDED
        assert fake_alipay.refunded(order.order_id) == order.total_amount
    else:  # paid first: the expiry job leaves a paid order alone
        assert status_of(order) == OrderInfo.Status.UNSENT
        assert not Refund.objects.exists()
        assert fake_alipay.refunded(order.order_id) == 0


@pytest.mark.django_db(transaction=True)
def test_refund_retries_racing_each_other_refund_once(fake_alipay: FakeAlipay, buyer_api, order):
    settled(fake_alipay, buyer_api, order)
    OrderInfo.objects.filter(order_id=order.order_id).update(status=OrderInfo.Status.CANCELLED)  # its start was lost
    fake_alipay.refund_answer = "refuse"
    assert refunds_retry() == 0  # opened, refused: pending
    fake_alipay.refund_answer = ""
    [refund] = Refund.objects.all()

    def issue() -> bool:
        return refund_issue(refund_id=refund.pk)

    results = run_together([issue, issue, issue, refunds_retry, refunds_retry])
    assert results[:3] == [True] * 3
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED
    assert list(fake_alipay.refunds.values()) == [order.total_amount]  # one refund request made, whatever repeated
    assert fake_alipay.refund_calls >= 2
