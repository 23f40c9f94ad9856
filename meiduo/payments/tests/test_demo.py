"""The built-in demo gateway end to end over real HTTP: pay page, confirm, notify, return, trade query."""

import json
import logging
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
import requests
from alipay import AliPay
from rest_framework.test import APIClient

from meiduo.demo import gateway as demo
from meiduo.demo.models import DemoTrade
from meiduo.orders.models import OrderInfo
from meiduo.payments.gateways import DEMO_APP_ID, demo_gateway, demo_gateway_key, demo_shop_key
from meiduo.payments.keys import private_key_pem, public_key_pem
from meiduo.payments.models import Payment
from meiduo.payments.services import payments_settle_pending
from meiduo.payments.signing import REQUEST_UNSIGNED, params_verify, signed_params

from .conftest import Keys, status_of


class PayForm(HTMLParser):
    """The form of the demo payment page: its action and fields, and the page's text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values["action"]
        elif tag == "input" and "name" in values:
            self.fields[values["name"]] = values.get("value", "")

    def handle_data(self, data: str) -> None:
        self.text.append(data.strip())


@pytest.fixture
def shop(live_server, settings):
    """The shop served on a live loopback server, paying through its own demo gateway."""
    settings.PAYMENT_GATEWAY = "demo"
    settings.PAYMENT_DEMO_GATEWAY_URL = live_server.url + "/api/v1/payment/demo/gateway/"
    settings.PAYMENT_NOTIFY_URL = live_server.url + "/api/v1/payment/alipay/notify/"
    settings.PAYMENT_RETURN_URL = live_server.url + "/pay_success.html"
    return live_server


def open_pay_page(buyer_api: APIClient, order: OrderInfo, browser: requests.Session) -> PayForm:
    url = buyer_api.get(f"/api/v1/orders/{order.order_id}/payment/").json()["alipay_url"]
    page = browser.get(url, timeout=10)
    assert page.status_code == 200, page.text
    assert page.headers["Content-Type"].startswith("text/html")
    form = PayForm(page.text)
    form.action = urljoin(url, form.action)
    return form


@pytest.mark.django_db(transaction=True)
def test_a_shopper_pays_on_the_demo_page_and_comes_back_paid(shop, buyer_api: APIClient, order, caplog):
    browser = requests.Session()
    form = open_pay_page(buyer_api, order, browser)
    text = " ".join(form.text)
    for label in ("订单号", "金额", "确认支付"):
        assert label in text
    assert order.order_id in text
    assert "¥3398.00" in text

    confirmed = browser.post(form.action, data=form.fields, allow_redirects=False, timeout=10)
    assert confirmed.status_code == 303
    location = confirmed.headers["Location"]
    assert location.startswith(shop.url + "/pay_success.html?")
    back = dict(parse_qsl(urlsplit(location).query))
    assert back["method"] == "alipay.trade.page.pay.return"
    assert (back["out_trade_no"], back["total_amount"], back["app_id"]) == (order.order_id, "3398.00", DEMO_APP_ID)
    assert back["sign_type"] == "RSA2"
    for name in ("trade_no", "seller_id", "timestamp", "charset", "version", "sign"):
        assert back[name]

    # The demo gateway notified the shop before sending the browser back: the order is paid already.
    assert status_of(order) == OrderInfo.Status.UNSENT
    payment = Payment.objects.get()
    assert (payment.gateway, payment.source, payment.trade_id) == ("demo", "notify", back["trade_no"])
    assert payment.raw["trade_status"] == "TRADE_SUCCESS"

    # The storefront's pay-result page passes the query string on: the same trade, paid once.
    result = APIClient().put(f"/api/v1/payment/status/?{urlsplit(location).query}")
    assert result.status_code == 200
    assert result.json() == {"trade_id": back["trade_no"]}
    [listed] = buyer_api.get("/api/v1/orders/").json()["results"]
    assert listed["status"] == 2
    assert Payment.objects.count() == 1

    # Confirming again (back button) books no second trade and sends the shopper back the same way.
    again = browser.post(form.action, data=form.fields, allow_redirects=False, timeout=10)
    assert again.status_code == 303
    assert DemoTrade.objects.count() == 1
    assert dict(parse_qsl(urlsplit(again.headers["Location"]).query))["trade_no"] == back["trade_no"]


@pytest.mark.django_db(transaction=True)
def test_a_lost_demo_notification_is_settled_by_the_query_job(shop, buyer_api: APIClient, order, settings):
    browser = requests.Session()
    form = open_pay_page(buyer_api, order, browser)
    settings.PAYMENT_NOTIFY_URL = "http://127.0.0.1:9/notify/"  # nobody listens: the notification is lost
    # The notify URL travels in the signed request, so re-open the page to sign the dead one into it.
    form = open_pay_page(buyer_api, order, browser)
    confirmed = browser.post(form.action, data=form.fields, allow_redirects=False, timeout=10)
    assert confirmed.status_code == 303
    assert status_of(order) == OrderInfo.Status.UNPAID

    assert payments_settle_pending() == 1  # alipay.trade.query over HTTP to the demo gateway
    assert status_of(order) == OrderInfo.Status.UNSENT
    payment = Payment.objects.get()
    assert (payment.source, payment.trade_id) == ("query", DemoTrade.objects.get().trade_no)


@pytest.mark.django_db(transaction=True)
def test_the_demo_gateway_answers_queries_like_alipay(shop, buyer_api: APIClient, order):
    assert demo_gateway().query(order.order_id) is None  # ACQ.TRADE_NOT_EXIST


@pytest.mark.django_db
def test_the_demo_signs_exactly_like_alipay(order):
    """python-alipay-sdk, set up with the demo gateway's public key, accepts the demo's return and notification."""
    trade = DemoTrade.objects.create(
        trade_no="2024050122001400000000000001",
        out_trade_no=order.order_id,
        app_id=DEMO_APP_ID,
        total_amount="3398.00",
        subject="美多商城订单",
        notify_url="",
    )
    sdk = AliPay(
        appid=DEMO_APP_ID,
        app_private_key_string=private_key_pem(demo_shop_key()),
        alipay_public_key_string=public_key_pem(demo_gateway_key().public_key()),
    )
    for params in (demo.demo_return_params(trade), demo.demo_notify_params(trade)):
        signature = params.pop("sign")
        assert sdk.verify(params, signature) is True


def demo_request(method: str, biz: dict[str, str], **extra: str) -> dict[str, str]:
    """A request to the demo gateway signed with the shop's demo key, as python-alipay-sdk signs it."""
    params = {
        "app_id": DEMO_APP_ID,
        "method": method,
        "charset": "utf-8",
        "timestamp": "2024-05-01 12:00:00",
        "version": "1.0",
        "biz_content": json.dumps(biz, separators=(",", ":"), ensure_ascii=False),
        "return_url": "http://127.0.0.1:8000/pay_success.html",
        **extra,
    }
    return signed_params(demo_shop_key(), params, unsigned=REQUEST_UNSIGNED)


PAGE = {"out_trade_no": "20240501120000000000001", "total_amount": "10.00", "subject": "美多商城订单"}


def spoiled_requests(keys: Keys) -> dict[str, dict[str, str]]:
    good = demo_request(demo.PAGE_PAY, PAGE)
    return {
        "tampered amount": {**good, "biz_content": good["biz_content"].replace("10.00", "0.01")},
        "wrong key": signed_params(
            keys.stranger,
            {k: v for k, v in good.items() if k not in ("sign", "sign_type")},
            unsigned=REQUEST_UNSIGNED,
        ),
        "foreign app id": demo_request(demo.PAGE_PAY, PAGE, app_id="2021000999999999"),
        "no signature": {k: v for k, v in good.items() if k != "sign"},
        "no return url": demo_request(demo.PAGE_PAY, PAGE, return_url=""),
        "zero amount": demo_request(demo.PAGE_PAY, {**PAGE, "total_amount": "0"}),
        "bad biz content": demo_request(demo.PAGE_PAY, PAGE, biz_content="[1]"),
        "unknown method": demo_request("alipay.trade.close", PAGE),
    }


@pytest.mark.django_db
def test_the_demo_page_refuses_requests_the_shop_did_not_sign(api: APIClient, keys: Keys):
    assert api.get("/api/v1/payment/demo/gateway/?" + urlencode(demo_request(demo.PAGE_PAY, PAGE))).status_code == 200
    for name, params in spoiled_requests(keys).items():
        page = api.get("/api/v1/payment/demo/gateway/?" + urlencode(params))
        assert page.status_code == 400, name
        assert "message" in page.json(), name
        confirm = api.post(
            "/api/v1/payment/demo/pay/", urlencode(params), content_type="application/x-www-form-urlencoded"
        )
        assert confirm.status_code == 400, name
    assert not DemoTrade.objects.exists()


@pytest.mark.django_db
def test_the_demo_refuses_queries_the_shop_did_not_sign(api: APIClient, keys: Keys):
    params = demo_request(demo.TRADE_QUERY, {"out_trade_no": "1"})
    forged = signed_params(
        keys.stranger, {k: v for k, v in params.items() if k not in ("sign", "sign_type")}, unsigned=REQUEST_UNSIGNED
    )
    answer = json.loads(api.get("/api/v1/payment/demo/gateway/?" + urlencode(forged)).content)
    assert answer["alipay_trade_query_response"]["sub_code"] == "isv.invalid-signature"
    assert params_verify(keys.shop.public_key(), params, unsigned=REQUEST_UNSIGNED) is False


@pytest.mark.django_db
def test_the_demo_gateway_is_gone_when_alipay_is_configured(api: APIClient, settings):
    settings.PAYMENT_GATEWAY = "alipay"
    page = api.get("/api/v1/payment/demo/gateway/?" + urlencode(demo_request(demo.PAGE_PAY, PAGE)))
    assert page.status_code == 404
    assert api.post("/api/v1/payment/demo/pay/").status_code == 404


@pytest.mark.django_db
def test_the_demo_page_follows_the_language(api: APIClient):
    url = "/api/v1/payment/demo/gateway/?" + urlencode(demo_request(demo.PAGE_PAY, PAGE))
    assert "确认支付" in api.get(url).content.decode()
    assert "Confirm payment" in api.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_an_undeliverable_demo_notification_is_logged(order, caplog):
    trade = DemoTrade.objects.create(
        trade_no="2024050122001400000000000002",
        out_trade_no=order.order_id,
        app_id=DEMO_APP_ID,
        total_amount="3398.00",
        subject="美多商城订单",
        notify_url="http://127.0.0.1:9/notify/",
    )
    from meiduo.demo.tasks import demo_notify_send

    with caplog.at_level(logging.WARNING, logger="meiduo.demo.gateway"):
        demo_notify_send.delay(trade.trade_no)
    failures = [r for r in caplog.records if "notification of" in r.getMessage()]
    assert len(failures) == 1  # run eagerly: one try (a worker retries later)
    assert status_of(order) == OrderInfo.Status.UNPAID
