"""Refunds against the fake Alipay on loopback: a cancelled paid order and money that arrives too late go back once."""

import logging
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from rest_framework.test import APIClient

from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders.lifecycle import orders_cancel_expired
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.payments.models import Payment, Refund
from meiduo.payments.services import refunds_retry
from meiduo.users.models import User

from .conftest import MakeOrder, status_of
from .fake_alipay import FakeAlipay
from .test_api import STATUS, paid_at_alipay, post_notify, put_return

PAID = Decimal("3398.00")


def stocked(order: OrderInfo) -> SKU:
    """Give the order a line of 2 units of an SKU whose stock placement already took (8 left, 2 sold)."""
    sku = SKUFactory.create(stock=8, sales=2)
    OrderGoods.objects.create(order=order, sku=sku, count=2, price=Decimal("1694.00"))
    return sku


def stock_and_sales(sku: SKU) -> tuple[int, int]:
    sku.refresh_from_db()
    return sku.stock, sku.sales


def pay(buyer_api: APIClient, fake: FakeAlipay, order: OrderInfo) -> str:
    """The buyer pays at the fake Alipay and its notification reaches the shop: the order is paid (2)."""
    trade_no = paid_at_alipay(buyer_api, fake, order)
    assert post_notify(fake.notify_params(order.order_id)).content == b"success"
    assert status_of(order) == OrderInfo.Status.UNSENT
    return trade_no


def order_answer(client: APIClient, order: OrderInfo) -> dict:
    listed = client.get("/api/v1/orders/").json()["results"]
    [mine] = [row for row in listed if row["order_id"] == order.order_id]
    detail = client.get(f"/api/v1/orders/{order.order_id}/").json()
    assert detail["refund"] == mine["refund"]
    return mine


# --- item 1: a paid order cancelled by its buyer --------------------------------------------------


def test_cancelling_a_paid_order_refunds_the_money_once_and_returns_stock_once(
    fake_alipay: FakeAlipay, buyer: User, buyer_api: APIClient, order, django_capture_on_commit_callbacks
):
    sku = stocked(order)
    trade_no = pay(buyer_api, fake_alipay, order)
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer_api.put(f"/api/v1/orders/{order.order_id}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == OrderInfo.Status.CANCELLED
    assert fake_alipay.refunded(order.order_id) == PAID  # the buyer's money is back at Alipay
    assert stock_and_sales(sku) == (10, 0)
    refund = Refund.objects.get()
    assert (refund.amount, refund.status, refund.reason) == (
        PAID,
        Refund.Status.REFUNDED,
        Refund.Reason.CANCELLED_BY_USER,
    )
    assert refund.requested_by == buyer
    assert refund.gateway_refund_id == f"{trade_no}/{refund.out_request_no}"
    assert order_answer(buyer_api, order)["refund"] == {"status": "refunded", "amount": "3398.00"}

    with django_capture_on_commit_callbacks(execute=True):
        again = buyer_api.put(f"/api/v1/orders/{order.order_id}/cancel/")
    assert again.status_code == 400
    assert refunds_retry() == 0
    assert fake_alipay.refund_calls == 1
    assert stock_and_sales(sku) == (10, 0)


def test_the_buyer_sees_refunding_until_the_gateway_confirms(
    fake_alipay: FakeAlipay, buyer_api: APIClient, order, django_capture_on_commit_callbacks
):
    pay(buyer_api, fake_alipay, order)
    fake_alipay.refund_answer = "refuse"
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer_api.put(f"/api/v1/orders/{order.order_id}/cancel/").status_code == 200
    assert order_answer(buyer_api, order)["refund"] == {"status": "refunding", "amount": "3398.00"}
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.PENDING
    assert "ACQ.SELLER_BALANCE_NOT_ENOUGH" in refund.last_error

    fake_alipay.refund_answer = ""
    assert refunds_retry() == 1  # the beat job tries again
    assert order_answer(buyer_api, order)["refund"] == {"status": "refunded", "amount": "3398.00"}
    assert fake_alipay.refunded(order.order_id) == PAID


def test_an_unpaid_or_cash_order_has_no_refund(
    fake_alipay: FakeAlipay, buyer: User, buyer_api: APIClient, order, make_order: MakeOrder
):
    cash = make_order(buyer, pay_method=OrderInfo.PayMethod.CASH, status=OrderInfo.Status.UNSENT)
    for unpaid in (order, cash):
        assert buyer_api.put(f"/api/v1/orders/{unpaid.order_id}/cancel/").status_code == 200
        assert order_answer(buyer_api, unpaid)["refund"] is None
    assert refunds_retry() == 0
    assert not Refund.objects.exists()
    assert fake_alipay.refund_calls == 0


def test_an_unsure_answer_is_asked_about_before_trying_again(fake_alipay: FakeAlipay, buyer_api, order, caplog):
    pay(buyer_api, fake_alipay, order)
    fake_alipay.refund_answer = "error"  # Alipay refunds, then answers ACQ.SYSTEM_ERROR
    OrderInfo.objects.filter(order_id=order.order_id).update(status=OrderInfo.Status.CANCELLED)  # as a lost start
    assert refunds_retry() == 0
    refund = Refund.objects.get()
    assert (refund.status, refund.reason, refund.attempts) == (Refund.Status.PENDING, Refund.Reason.CANCELLED, 1)
    assert fake_alipay.refunded(order.order_id) == PAID
    assert refunds_retry() == 1  # the refund query finds the refund made: no second request
    assert fake_alipay.refund_calls == 1
    assert Refund.objects.get().status == Refund.Status.REFUNDED


def test_an_unreachable_gateway_leaves_the_refund_pending(fake_alipay: FakeAlipay, buyer_api, order, settings):
    pay(buyer_api, fake_alipay, order)
    OrderInfo.objects.filter(order_id=order.order_id).update(status=OrderInfo.Status.CANCELLED)
    settings.ALIPAY_GATEWAY_URL = "http://127.0.0.1:9/gateway.do"  # nothing listens there
    assert refunds_retry() == 0
    assert "refund" in Refund.objects.get().last_error
    settings.ALIPAY_GATEWAY_URL = fake_alipay.url
    assert refunds_retry() == 1
    assert fake_alipay.refunded(order.order_id) == PAID


def test_a_refund_beyond_the_paid_amount_is_refused_by_the_gateway(fake_alipay: FakeAlipay, buyer_api, order):
    pay(buyer_api, fake_alipay, order)
    OrderInfo.objects.filter(order_id=order.order_id).update(status=OrderInfo.Status.CANCELLED)
    Payment.objects.update(amount=Decimal("3398.01"))
    assert refunds_retry() == 0
    assert "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL" in Refund.objects.get().last_error
    assert fake_alipay.refunded(order.order_id) == 0


# --- item 2: money that arrives after the order was cancelled or expired ----------------------------


def test_a_payment_for_an_expired_order_is_recorded_and_refunded(
    *, fake_alipay: FakeAlipay, buyer_api: APIClient, make_order: MakeOrder, buyer: User, settings, caplog
):
    order = make_order(buyer)
    sku = stocked(order)
    trade_no = paid_at_alipay(buyer_api, fake_alipay, order)  # the shopper keeps the cashier page open …
    OrderInfo.objects.filter(order_id=order.order_id).update(
        create_time=order.create_time - timedelta(seconds=settings.ORDER_PAY_TIMEOUT + 1)
    )
    assert orders_cancel_expired() == 1  # … the payment time runs out …
    assert stock_and_sales(sku) == (10, 0)
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        notified = post_notify(fake_alipay.notify_params(order.order_id))  # … and then pays.
    assert notified.content == b"success"  # taken in charge: Alipay stops notifying
    assert status_of(order) == OrderInfo.Status.CANCELLED
    assert stock_and_sales(sku) == (10, 0)  # the goods went back once, at expiry
    payment = Payment.objects.get()
    assert (payment.trade_id, payment.amount) == (trade_no, PAID)
    refund = Refund.objects.get()
    assert (refund.reason, refund.status, refund.requested_by) == (
        Refund.Reason.PAID_TOO_LATE,
        Refund.Status.PENDING,
        None,
    )
    assert any("refund opened" in record.getMessage() for record in caplog.records)

    back = put_return(fake_alipay.return_params(order.order_id))  # the browser comes back: told, not paid
    assert back.status_code == 400
    assert "全额退回" in back.json()["message"]  # in the shop's language (zh-hans by default)
    url = f"{STATUS}?{urlencode(fake_alipay.return_params(order.order_id))}"
    in_english = APIClient().put(url, HTTP_ACCEPT_LANGUAGE="en")
    assert in_english.status_code == 400
    assert "refunded in full" in in_english.json()["message"]
    assert refunds_retry() == 1
    assert fake_alipay.refunded(order.order_id) == PAID
    assert order_answer(buyer_api, order)["refund"] == {"status": "refunded", "amount": "3398.00"}
    assert post_notify(fake_alipay.notify_params(order.order_id)).content == b"success"  # a repeat changes nothing
    assert (Payment.objects.count(), Refund.objects.count(), fake_alipay.refund_calls) == (1, 1, 1)


def test_a_return_after_cancellation_opens_the_refund_and_issues_it(
    fake_alipay: FakeAlipay, buyer_api: APIClient, order, django_capture_on_commit_callbacks
):
    paid_at_alipay(buyer_api, fake_alipay, order)
    with django_capture_on_commit_callbacks(execute=True):
        assert buyer_api.put(f"/api/v1/orders/{order.order_id}/cancel/").status_code == 200
        back = put_return(fake_alipay.return_params(order.order_id))
    assert back.status_code == 400
    assert fake_alipay.refunded(order.order_id) == PAID
    assert Refund.objects.get().status == Refund.Status.REFUNDED
    assert status_of(order) == OrderInfo.Status.CANCELLED


# --- staff ------------------------------------------------------------------------------------------


@pytest.fixture
def operator(db: None) -> tuple[User, Client]:
    staff = User.objects.create_user(username="ops", password="password123", mobile="13900009999", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["cancel_orderinfo", "view_orderinfo", "view_refund", "change_refund"])
    )
    client = Client()
    client.force_login(staff)
    return staff, client


def test_staff_cancel_a_paid_order_and_its_refund_records_who_asked(
    fake_alipay: FakeAlipay, buyer_api, order, operator, django_capture_on_commit_callbacks
):
    staff, client = operator
    pay(buyer_api, fake_alipay, order)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/orders/orderinfo/", {"action": "cancel", "_selected_action": [order.order_id]}, follow=True
        )
    assert "1 order cancelled" in response.content.decode() or "1 个订单已取消" in response.content.decode()
    refund = Refund.objects.get()
    assert (refund.reason, refund.requested_by, refund.status) == (
        Refund.Reason.CANCELLED_BY_STAFF,
        staff,
        Refund.Status.REFUNDED,
    )
    assert fake_alipay.refunded(order.order_id) == PAID
    page = client.get(f"/admin/payments/refund/{refund.pk}/change/")
    assert page.status_code == 200
    assert refund.out_request_no in page.content.decode()


def test_staff_retry_or_mark_a_pending_refund(fake_alipay: FakeAlipay, buyer_api, make_order, buyer, operator):
    _, client = operator
    first, second = make_order(buyer), make_order(buyer)
    for order in (first, second):
        pay(buyer_api, fake_alipay, order)
        OrderInfo.objects.filter(order_id=order.order_id).update(status=OrderInfo.Status.CANCELLED)
    fake_alipay.refund_answer = "refuse"
    refunds_retry()
    fake_alipay.refund_answer = ""
    one, two = (Refund.objects.get(payment__order=order) for order in (first, second))
    listing = client.get("/admin/payments/refund/?status__exact=pending")
    assert listing.status_code == 200
    assert one.out_request_no in listing.content.decode()

    client.post("/admin/payments/refund/", {"action": "retry", "_selected_action": [one.pk]})
    client.post("/admin/payments/refund/", {"action": "mark_refunded", "_selected_action": [two.pk]})
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.status == Refund.Status.REFUNDED
    assert fake_alipay.refunded(first.order_id) == PAID
    assert two.status == Refund.Status.MARKED
    assert "ops" in two.last_error
    assert fake_alipay.refunded(second.order_id) == 0
    assert refunds_retry() == 0  # a marked refund is never sent again
    assert fake_alipay.refunded(second.order_id) == 0
