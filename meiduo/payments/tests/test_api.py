"""The payment API against a fake Alipay on loopback: page-pay URL, return and notify, every bad input."""

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from rest_framework.test import APIClient

from meiduo.orders.models import OrderInfo
from meiduo.payments.models import Payment, PaymentAttempt, Refund
from meiduo.payments.signing import signed_params
from meiduo.users.models import User

from .conftest import APP_ID, Keys, MakeOrder, status_of
from .fake_alipay import FakeAlipay

NOTIFY = "/api/v1/payment/alipay/notify/"
STATUS = "/api/v1/payment/status/"


def pay_url(client: APIClient, order: OrderInfo) -> str:
    response = client.get(f"/api/v1/orders/{order.order_id}/payment/")
    assert response.status_code == 200, response.content
    return str(response.json()["alipay_url"])


def paid_at_alipay(client: APIClient, fake: FakeAlipay, order: OrderInfo) -> str:
    """The buyer opens the payment URL (the fake checks our signature) and pays; the trade number."""
    page = requests.get(pay_url(client, order), timeout=5)
    assert page.status_code == 200
    assert order.order_id in page.text, fake.refused
    return fake.pay(order.order_id)


def put_return(params: dict[str, str]):
    return APIClient().put(f"{STATUS}?{urlencode(params)}")


def post_notify(params: dict[str, str]):
    return APIClient().post(NOTIFY, urlencode(params), content_type="application/x-www-form-urlencoded")


# --- the page-pay URL ---------------------------------------------------------


def test_payment_url_is_a_signed_page_pay_request(fake_alipay: FakeAlipay, buyer_api: APIClient, order, settings):
    url = pay_url(buyer_api, order)
    assert url.startswith(fake_alipay.url + "?")
    params = dict(parse_qsl(urlsplit(url).query))
    assert params["method"] == "alipay.trade.page.pay"
    assert params["app_id"] == APP_ID
    assert params["sign_type"] == "RSA2"
    assert params["return_url"] == settings.PAYMENT_RETURN_URL
    assert params["notify_url"] == settings.PAYMENT_NOTIFY_URL
    biz = json.loads(params["biz_content"])
    assert biz["out_trade_no"] == order.order_id
    assert biz["total_amount"] == "3398.00"
    assert biz["product_code"] == "FAST_INSTANT_TRADE_PAY"
    assert order.order_id in biz["subject"]
    assert requests.get(url, timeout=5).status_code == 200
    assert fake_alipay.refused == []
    assert order.order_id in fake_alipay.page_requests
    assert PaymentAttempt.objects.get(order=order).gateway == "alipay"


def test_payment_url_signed_with_a_wrong_key_is_refused_by_alipay(
    fake_alipay: FakeAlipay, buyer_api: APIClient, order, settings, keys: Keys
):
    from meiduo.payments.keys import private_key_pem

    settings.ALIPAY_APP_PRIVATE_KEY = private_key_pem(keys.stranger)
    page = requests.get(pay_url(buyer_api, order), timeout=5)
    assert "isv.invalid-signature" in page.text
    assert fake_alipay.refused == ["isv.invalid-signature"]


def test_payment_url_needs_login(fake_alipay, api: APIClient, order):
    assert api.get(f"/api/v1/orders/{order.order_id}/payment/").status_code == 401


def test_someone_elses_or_an_unknown_order_is_404(fake_alipay, buyer_api: APIClient, make_order: MakeOrder):
    from meiduo.addresses.tests.factories import ShopperFactory

    other = make_order(ShopperFactory.create())
    for order_id in (other.order_id, "20240101000000000000001"):
        response = buyer_api.get(f"/api/v1/orders/{order_id}/payment/")
        assert response.status_code == 404
        assert "detail" in response.json()
    assert not PaymentAttempt.objects.exists()


@pytest.mark.parametrize(
    "kind",
    ["paid", "cancelled", "expired", "cash"],
)
def test_orders_that_cannot_be_paid_online_are_400(
    fake_alipay, buyer: User, buyer_api: APIClient, make_order: MakeOrder, kind: str
):
    order = {
        "paid": lambda: make_order(buyer, status=OrderInfo.Status.UNSENT),
        "cancelled": lambda: make_order(buyer, status=OrderInfo.Status.CANCELLED),
        "expired": lambda: make_order(buyer, age=timedelta(minutes=31)),
        "cash": lambda: make_order(buyer, pay_method=OrderInfo.PayMethod.CASH, status=OrderInfo.Status.UNSENT),
    }[kind]()
    response = buyer_api.get(f"/api/v1/orders/{order.order_id}/payment/")
    assert response.status_code == 400
    assert response.json()["message"]
    assert not PaymentAttempt.objects.exists()


def test_messages_follow_the_language(fake_alipay, buyer: User, buyer_api: APIClient, make_order: MakeOrder):
    order = make_order(buyer, status=OrderInfo.Status.CANCELLED)
    url = f"/api/v1/orders/{order.order_id}/payment/"
    assert buyer_api.get(url).json() == {"message": "该订单不在待支付状态。", "code": "rejected"}
    english = buyer_api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {"message": "This order is not awaiting payment.", "code": "rejected"}


def test_misconfigured_gateway_is_503_not_500(settings, buyer_api: APIClient, order):
    settings.PAYMENT_GATEWAY = "alipay"
    settings.ALIPAY_APP_ID = ""
    response = buyer_api.get(f"/api/v1/orders/{order.order_id}/payment/")
    assert response.status_code == 503
    assert "message" in response.json()


# --- return and notify: paid exactly once ---------------------------------------


def test_return_pays_the_order_once(fake_alipay: FakeAlipay, buyer_api: APIClient, order):
    trade_no = paid_at_alipay(buyer_api, fake_alipay, order)
    params = fake_alipay.return_params(order.order_id)
    response = put_return(params)
    assert response.status_code == 200, response.content
    assert response.json() == {"trade_id": trade_no}
    assert status_of(order) == OrderInfo.Status.UNSENT
    payment = Payment.objects.get()
    assert (payment.order_id, payment.trade_id, payment.amount) == (order.order_id, trade_no, Decimal("3398.00"))
    assert (payment.gateway, payment.source) == ("alipay", "return")
    assert payment.raw == params
    order.refresh_from_db()
    assert order.pay_time is not None
    # The same return again (a reload), then the notification: the same payment, nothing else changes.
    assert put_return(params).json() == {"trade_id": trade_no}
    notify = post_notify(fake_alipay.notify_params(order.order_id))
    assert (notify.status_code, notify.content) == (200, b"success")
    assert Payment.objects.count() == 1
    assert Payment.objects.get().source == "return"


def test_notify_pays_the_order_and_repeats_answer_success(fake_alipay: FakeAlipay, buyer_api: APIClient, order):
    trade_no = paid_at_alipay(buyer_api, fake_alipay, order)
    for _ in range(3):
        response = post_notify(fake_alipay.notify_params(order.order_id))
        assert response.status_code == 200
        assert response.content == b"success"
        assert response["Content-Type"].startswith("text/plain")
    assert status_of(order) == OrderInfo.Status.UNSENT
    payment = Payment.objects.get()
    assert (payment.trade_id, payment.source) == (trade_no, "notify")
    assert put_return(fake_alipay.return_params(order.order_id)).json() == {"trade_id": trade_no}
    # TRADE_FINISHED follows TRADE_SUCCESS for trades that can no longer be refunded: still the same payment.
    finished = post_notify(fake_alipay.notify_params(order.order_id, trade_status="TRADE_FINISHED"))
    assert finished.content == b"success"
    assert Payment.objects.count() == 1


def test_return_needs_no_login_even_with_an_expired_token(fake_alipay: FakeAlipay, buyer_api: APIClient, order):
    paid_at_alipay(buyer_api, fake_alipay, order)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="JWT expired.or.garbage")
    response = client.put(f"{STATUS}?{urlencode(fake_alipay.return_params(order.order_id))}")
    assert response.status_code == 200


def test_a_paid_order_shows_status_2_in_the_orders_list(fake_alipay: FakeAlipay, buyer_api: APIClient, order):
    paid_at_alipay(buyer_api, fake_alipay, order)
    assert post_notify(fake_alipay.notify_params(order.order_id)).content == b"success"
    [listed] = buyer_api.get("/api/v1/orders/").json()["results"]
    assert (listed["order_id"], listed["status"]) == (order.order_id, 2)
    assert buyer_api.get(f"/api/v1/orders/{order.order_id}/payment/").status_code == 400


# --- bad input: rejected, the order untouched, a warning logged -------------------

Spoil = Callable[[FakeAlipay, Keys, str], dict[str, str]]


def forged_signature(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    params = fake.notify_params(order_id)
    return {**params, "sign": params["sign"][:-12] + "QUJDREVGR0g="}


def wrong_key(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    params = fake.notify_params(order_id)
    return signed_params(keys.stranger, {k: v for k, v in params.items() if k not in ("sign", "sign_type")})


def tampered_amount(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return {**fake.notify_params(order_id), "total_amount": "0.01"}


def signed_wrong_amount(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return fake.notify_params(order_id, total_amount="0.01", receipt_amount="0.01", buyer_pay_amount="0.01")


def foreign_app_id(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return fake.notify_params(order_id, app_id="2021000999999999", auth_app_id="2021000999999999")


def unknown_order(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return fake.notify_params(order_id, out_trade_no="20240101000000000000999")


def waiting_trade(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return fake.notify_params(order_id, trade_status="WAIT_BUYER_PAY")


def closed_trade(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return fake.notify_params(order_id, trade_status="TRADE_CLOSED")


def unsigned(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return {k: v for k, v in fake.notify_params(order_id).items() if k not in ("sign", "sign_type")}


def rsa1_sign_type(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return {**fake.notify_params(order_id), "sign_type": "RSA"}


def no_trade_number(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return fake.notify_params(order_id, trade_no="")


def not_a_number(fake: FakeAlipay, keys: Keys, order_id: str) -> dict[str, str]:
    return fake.notify_params(order_id, total_amount="NaN")


BAD_NOTIFIES: list[Spoil] = [
    forged_signature,
    wrong_key,
    tampered_amount,
    signed_wrong_amount,
    foreign_app_id,
    unknown_order,
    waiting_trade,
    closed_trade,
    unsigned,
    rsa1_sign_type,
    no_trade_number,
    not_a_number,
]


@pytest.mark.parametrize("spoil", BAD_NOTIFIES, ids=lambda spoil: spoil.__name__)
def test_bad_notify_is_rejected_and_logged(
    *, fake_alipay: FakeAlipay, keys: Keys, buyer_api: APIClient, order, spoil: Spoil, caplog
):
    paid_at_alipay(buyer_api, fake_alipay, order)
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        response = post_notify(spoil(fake_alipay, keys, order.order_id))
    assert response.status_code == 400
    assert response.content != b"success"
    assert "message" in response.json()
    assert status_of(order) == OrderInfo.Status.UNPAID
    assert not Payment.objects.exists()
    assert any(r.levelno == logging.WARNING and "payment rejected" in r.getMessage() for r in caplog.records)


BAD_RETURNS: dict[str, Callable[[FakeAlipay, Keys, str], dict[str, str]]] = {
    "forged signature": lambda f, k, o: {**f.return_params(o), "sign": f.return_params(o, timestamp="x")["sign"]},
    "wrong key": lambda f, k, o: signed_params(
        k.stranger, {key: v for key, v in f.return_params(o).items() if key not in ("sign", "sign_type")}
    ),
    "tampered amount": lambda f, k, o: {**f.return_params(o), "total_amount": "1.00"},
    "signed wrong amount": lambda f, k, o: f.return_params(o, total_amount="3398.01"),
    "foreign app id": lambda f, k, o: f.return_params(o, app_id="2021000999999999"),
    "unknown order": lambda f, k, o: f.return_params(o, out_trade_no="20240101000000000000999"),
    "failed trade": lambda f, k, o: f.return_params(o, trade_status="TRADE_CLOSED"),
    "no parameters": lambda f, k, o: {},
}


@pytest.mark.parametrize("spoil", BAD_RETURNS.values(), ids=BAD_RETURNS.keys())
def test_bad_return_is_400_and_logged(
    *, fake_alipay: FakeAlipay, keys: Keys, buyer_api: APIClient, order, spoil, caplog
):
    paid_at_alipay(buyer_api, fake_alipay, order)
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        response = put_return(spoil(fake_alipay, keys, order.order_id))
    assert response.status_code == 400
    assert response.json()["message"]
    assert status_of(order) == OrderInfo.Status.UNPAID
    assert not Payment.objects.exists()
    assert any("payment rejected" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("body", ["[1, 2]", "null", '"out_trade_no"', "3398"])
def test_a_return_body_that_is_not_an_object_is_400_not_500(fake_alipay: FakeAlipay, order, body: str):
    response = APIClient().put(STATUS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"]
    assert status_of(order) == OrderInfo.Status.UNPAID


def test_notify_for_a_cancelled_order_records_the_money_for_refund_with_a_warning(
    fake_alipay: FakeAlipay, buyer_api: APIClient, order, caplog
):
    trade_no = paid_at_alipay(buyer_api, fake_alipay, order)
    OrderInfo.objects.filter(order_id=order.order_id).update(status=OrderInfo.Status.CANCELLED)
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        response = post_notify(fake_alipay.notify_params(order.order_id))
    assert response.content == b"success"  # the shop took the money in charge: Alipay stops notifying
    assert status_of(order) == OrderInfo.Status.CANCELLED  # never paid
    assert Payment.objects.get().trade_id == trade_no
    assert Refund.objects.get().payment.trade_id == trade_no
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "was cancelled before" in warning.getMessage()
    assert "refund" in warning.getMessage()


def test_notify_for_a_cash_order_is_rejected(fake_alipay: FakeAlipay, buyer: User, make_order: MakeOrder, caplog):
    cash = make_order(buyer, pay_method=OrderInfo.PayMethod.CASH, status=OrderInfo.Status.UNSENT)
    fake_alipay.trades[cash.order_id] = {
        "trade_no": "2024000000000000000000000001",
        "out_trade_no": cash.order_id,
        "trade_status": "TRADE_SUCCESS",
        "total_amount": "3398.00",
    }
    response = post_notify(fake_alipay.notify_params(cash.order_id))
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_a_trade_number_cannot_pay_a_second_order(
    fake_alipay: FakeAlipay, buyer: User, buyer_api: APIClient, make_order: MakeOrder
):
    first, second = make_order(buyer), make_order(buyer)
    trade_no = paid_at_alipay(buyer_api, fake_alipay, first)
    assert post_notify(fake_alipay.notify_params(first.order_id)).content == b"success"
    paid_at_alipay(buyer_api, fake_alipay, second)
    reused = post_notify(fake_alipay.notify_params(second.order_id, trade_no=trade_no))
    assert reused.status_code == 400
    assert status_of(second) == OrderInfo.Status.UNPAID


def test_a_second_trade_for_a_paid_order_is_rejected_and_logged_for_refund(
    fake_alipay: FakeAlipay, buyer_api: APIClient, order, caplog
):
    paid_at_alipay(buyer_api, fake_alipay, order)
    assert post_notify(fake_alipay.notify_params(order.order_id)).content == b"success"
    with caplog.at_level(logging.WARNING, logger="meiduo.payments"):
        other = post_notify(fake_alipay.notify_params(order.order_id, trade_no="2024999999999999999999999999"))
    assert other.status_code == 400
    assert Payment.objects.count() == 1
    assert any("refund" in r.getMessage() for r in caplog.records)


def test_notify_accepts_only_form_posts(fake_alipay: FakeAlipay, buyer_api: APIClient, order):
    paid_at_alipay(buyer_api, fake_alipay, order)
    as_json = APIClient().post(NOTIFY, fake_alipay.notify_params(order.order_id), format="json")
    assert as_json.status_code == 415
    assert APIClient().get(NOTIFY).status_code == 405
    assert status_of(order) == OrderInfo.Status.UNPAID
