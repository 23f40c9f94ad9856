"""The lost-notification job: it asks the gateway (alipay.trade.query) about started payments and settles them."""

import logging
from io import StringIO
from urllib.parse import urlencode

import pytest
import requests
from django.conf import settings as django_settings
from django.core.management import call_command
from rest_framework.test import APIClient

from meiduo.orders.models import OrderInfo
from meiduo.payments import tasks
from meiduo.payments.models import Payment
from meiduo.payments.services import payments_settle_pending

from .conftest import Keys, MakeOrder, status_of
from .fake_alipay import FakeAlipay


def started(client: APIClient, order: OrderInfo) -> None:
    """The buyer opened the payment page (the shop remembers the payment started)."""
    url = client.get(f"/api/v1/orders/{order.order_id}/payment/").json()["alipay_url"]
    assert requests.get(url, timeout=5).status_code == 200


def test_a_paid_trade_whose_notification_was_lost_is_settled(fake_alipay: FakeAlipay, buyer_api, order):
    started(buyer_api, order)
    trade_no = fake_alipay.pay(order.order_id)
    assert payments_settle_pending() == 1
    assert status_of(order) == OrderInfo.Status.UNSENT
    payment = Payment.objects.get()
    assert (payment.trade_id, payment.source, payment.raw["trade_status"]) == (trade_no, "query", "TRADE_SUCCESS")
    assert fake_alipay.refused == []
    # Settled orders are not asked about again; the late notification still answers success.
    assert payments_settle_pending() == 0
    notify = APIClient().post(
        "/api/v1/payment/alipay/notify/",
        urlencode(fake_alipay.notify_params(order.order_id)),
        content_type="application/x-www-form-urlencoded",
    )
    assert notify.content == b"success"
    assert Payment.objects.count() == 1


def test_unpaid_and_waiting_trades_are_left_alone(fake_alipay: FakeAlipay, buyer, buyer_api, make_order: MakeOrder):
    never_paid, waiting = make_order(buyer), make_order(buyer)
    started(buyer_api, never_paid)
    started(buyer_api, waiting)
    fake_alipay.pay(waiting.order_id, trade_status="WAIT_BUYER_PAY")
    assert payments_settle_pending() == 0
    assert status_of(never_paid) == status_of(waiting) == OrderInfo.Status.UNPAID
    assert not Payment.objects.exists()


def test_only_started_payments_are_asked_about(fake_alipay: FakeAlipay, buyer, make_order: MakeOrder):
    make_order(buyer)  # nobody opened its payment page
    assert payments_settle_pending() == 0
    assert fake_alipay.page_requests == {}


def test_a_cancelled_order_is_not_settled(fake_alipay: FakeAlipay, buyer_api, order, caplog):
    started(buyer_api, order)
    fake_alipay.pay(order.order_id)
    OrderInfo.objects.filter(order_id=order.order_id).update(status=OrderInfo.Status.CANCELLED)
    assert payments_settle_pending() == 0
    assert status_of(order) == OrderInfo.Status.CANCELLED


def test_a_query_answer_with_another_amount_is_rejected(fake_alipay: FakeAlipay, buyer_api, order, caplog):
    started(buyer_api, order)
    fake_alipay.pay(order.order_id)
    fake_alipay.trades[order.order_id]["total_amount"] = "0.01"
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        assert payments_settle_pending() == 0
    assert status_of(order) == OrderInfo.Status.UNPAID
    assert any("amount" in r.getMessage() for r in caplog.records)


def test_a_query_signed_with_a_wrong_key_is_refused_by_alipay_and_logged(
    *, fake_alipay: FakeAlipay, buyer_api, order, settings, keys: Keys, caplog
):
    from meiduo.payments.keys import private_key_pem

    started(buyer_api, order)
    fake_alipay.pay(order.order_id)
    settings.ALIPAY_APP_PRIVATE_KEY = private_key_pem(keys.stranger)
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        assert payments_settle_pending() == 0
    assert fake_alipay.refused == ["isv.invalid-signature"]
    assert status_of(order) == OrderInfo.Status.UNPAID
    assert any("trade query" in r.getMessage() for r in caplog.records)


def test_an_answer_not_signed_by_alipay_is_not_believed(fake_alipay: FakeAlipay, buyer_api, order, keys: Keys):
    started(buyer_api, order)
    fake_alipay.pay(order.order_id)
    real_key = fake_alipay.private_key
    fake_alipay.private_key = keys.stranger
    try:
        assert payments_settle_pending() == 0
    finally:
        fake_alipay.private_key = real_key
    assert status_of(order) == OrderInfo.Status.UNPAID


def test_an_unreachable_gateway_is_logged_not_raised(fake_alipay: FakeAlipay, buyer_api, order, settings, caplog):
    started(buyer_api, order)
    settings.ALIPAY_GATEWAY_URL = "http://127.0.0.1:9/gateway.do"
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        assert payments_settle_pending() == 0
    assert any("trade query" in r.getMessage() for r in caplog.records)


def test_the_command_and_the_periodic_task(fake_alipay: FakeAlipay, buyer, buyer_api, make_order: MakeOrder):
    first, second = make_order(buyer), make_order(buyer)
    for order in (first, second):
        started(buyer_api, order)
        fake_alipay.pay(order.order_id)
    out = StringIO()
    call_command("payments_settle", "--limit", "1", stdout=out)
    assert out.getvalue().strip() == "1 orders settled"
    tasks.payments_settle_pending.delay()
    assert status_of(first) == status_of(second) == OrderInfo.Status.UNSENT
    schedule = django_settings.CELERY_BEAT_SCHEDULE["payments-settle-pending"]
    assert schedule["task"] == tasks.payments_settle_pending.name


@pytest.mark.django_db
def test_a_misconfigured_gateway_settles_nothing_and_says_why(settings, caplog):
    settings.PAYMENT_GATEWAY = "alipay"
    settings.ALIPAY_APP_ID = ""
    with caplog.at_level(logging.ERROR, logger="meiduo.payments"):
        assert payments_settle_pending() == 0
    assert any("ALIPAY_APP_ID" in r.getMessage() for r in caplog.records)
