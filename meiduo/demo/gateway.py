"""The built-in demo gateway's side of Alipay's protocol, served by the shop itself.

It checks the shop's signed requests with the shop's public key, keeps its own
books (DemoTrade, DemoRefund), and signs its return parameters, notifications
and the answers of its API methods (trade query, refund, refund query) with
its own private key, exactly as Alipay does, so the shop verifies them with
the very code that verifies Alipay. A refund is made once per trade and
request number, and never beyond what the trade paid.
"""

import json
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import ServiceError
from meiduo.core.jobs import job_start
from meiduo.demo.models import DemoRefund, DemoTrade
from meiduo.payments.gateways import DEMO_APP_ID, DEMO_SELLER_ID, demo_gateway_key, demo_shop_key
from meiduo.payments.signing import REQUEST_UNSIGNED, params_verify, sign_text, signed_params

logger = logging.getLogger("meiduo.demo.gateway")

PAGE_PAY = "alipay.trade.page.pay"
TRADE_QUERY = "alipay.trade.query"
TRADE_REFUND = "alipay.trade.refund"
REFUND_QUERY = "alipay.trade.fastpay.refund.query"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DEMO_BUYER_ID = "2088000000000002"


class DemoRequestError(ServiceError):
    """A request to the demo gateway that is not signed by the shop or lacks what the method needs."""

    default_message = _("The payment request is not valid.")


@dataclass(frozen=True)
class PayRequest:
    """A verified alipay.trade.page.pay request: what the shopper is asked to pay, and where to report it."""

    out_trade_no: str
    total_amount: str
    subject: str
    return_url: str
    notify_url: str
    params: dict[str, str]


def _verified_biz_content(params: Mapping[str, str], method: str) -> dict[str, Any]:
    """Check a request's app id, method and signature (the shop's key); return its biz_content."""
    if params.get("app_id") != DEMO_APP_ID or params.get("method") != method:
        raise DemoRequestError
    if not params_verify(demo_shop_key().public_key(), params, unsigned=REQUEST_UNSIGNED):
        raise DemoRequestError(_("The payment request's signature is not valid."))
    try:
        biz = json.loads(params.get("biz_content", ""))
    except ValueError:
        biz = None
    if not isinstance(biz, dict):
        raise DemoRequestError
    return biz


def demo_pay_request(params: Mapping[str, str]) -> PayRequest:
    """Verify a page-pay request as Alipay would before showing its payment page."""
    single = {key: str(value) for key, value in params.items()}
    biz = _verified_biz_content(single, PAGE_PAY)
    try:
        amount = Decimal(str(biz.get("total_amount", "")))
    except InvalidOperation:
        amount = Decimal(0)
    out_trade_no = str(biz.get("out_trade_no", ""))
    if not out_trade_no or not amount.is_finite() or amount <= 0 or not single.get("return_url"):
        raise DemoRequestError
    return PayRequest(
        out_trade_no=out_trade_no,
        total_amount=f"{amount:.2f}",
        subject=str(biz.get("subject", "")),
        return_url=single["return_url"],
        notify_url=single.get("notify_url", ""),
        params=single,
    )


def demo_trade_confirm(*, request: PayRequest) -> DemoTrade:
    """The shopper confirmed the payment: book the trade (once per order) and notify the shop after commit."""
    with transaction.atomic():
        trade, created = DemoTrade.objects.get_or_create(
            out_trade_no=request.out_trade_no,
            defaults={
                "trade_no": timezone.localtime().strftime("%Y%m%d") + f"{secrets.randbelow(10**20):020d}",
                "app_id": DEMO_APP_ID,
                "total_amount": request.total_amount,
                "subject": request.subject[:256],
                "notify_url": request.notify_url,
            },
        )
        if created and trade.notify_url:
            # robust: a broker hiccup must not fail the shopper's confirmation (the settle job covers it)
            transaction.on_commit(lambda: job_start("demo.notify_send", kwargs={"trade_no": trade.trade_no}))
    return trade


def _stamp(trade: DemoTrade) -> str:
    return timezone.localtime(trade.create_time).strftime(TIME_FORMAT)


def demo_return_params(trade: DemoTrade) -> dict[str, str]:
    """The parameters appended to the return URL, signed as Alipay signs them."""
    params = {
        "charset": "utf-8",
        "out_trade_no": trade.out_trade_no,
        "method": "alipay.trade.page.pay.return",
        "total_amount": trade.total_amount,
        "trade_no": trade.trade_no,
        "auth_app_id": trade.app_id,
        "version": "1.0",
        "app_id": trade.app_id,
        "seller_id": DEMO_SELLER_ID,
        "timestamp": timezone.localtime().strftime(TIME_FORMAT),
    }
    return signed_params(demo_gateway_key(), params)


def demo_return_url(trade: DemoTrade, return_url: str) -> str:
    """Where the shopper's browser goes after paying: the shop's return URL with the signed parameters."""
    separator = "&" if "?" in return_url else "?"
    return return_url + separator + urlencode(demo_return_params(trade))


def demo_notify_params(trade: DemoTrade) -> dict[str, str]:
    """The asynchronous notification of a trade, signed as Alipay signs it."""
    params = {
        "notify_time": timezone.localtime().strftime(TIME_FORMAT),
        "notify_type": "trade_status_sync",
        "notify_id": secrets.token_hex(16),
        "charset": "utf-8",
        "version": "1.0",
        "app_id": trade.app_id,
        "auth_app_id": trade.app_id,
        "seller_id": DEMO_SELLER_ID,
        "buyer_id": DEMO_BUYER_ID,
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "trade_status": "TRADE_SUCCESS",
        "total_amount": trade.total_amount,
        "receipt_amount": trade.total_amount,
        "buyer_pay_amount": trade.total_amount,
        "invoice_amount": trade.total_amount,
        "point_amount": "0.00",
        "subject": trade.subject,
        "gmt_create": _stamp(trade),
        "gmt_payment": _stamp(trade),
    }
    return signed_params(demo_gateway_key(), params)


def demo_notify_send(*, trade_no: str) -> bool:
    """POST the trade's notification to the shop's notify URL; True when the shop answered `success`."""
    import requests  # loaded by the notify job, not by every web process that serves the demo gateway's pages

    trade = DemoTrade.objects.filter(trade_no=trade_no).first()
    if trade is None or not trade.notify_url:
        return True
    try:
        answer = requests.post(
            trade.notify_url, data=demo_notify_params(trade), timeout=settings.PAYMENT_GATEWAY_TIMEOUT
        )
    except requests.RequestException as exc:
        logger.warning("demo gateway: notification of %s to %s failed: %s", trade_no, trade.notify_url, exc)
        return False
    if answer.text.strip() != "success":
        logger.warning(
            "demo gateway: the shop answered %s %r to the notification of %s",
            answer.status_code,
            answer.text[:200],
            trade_no,
        )
        return False
    return True


Answer = dict[str, str]
INVALID_SIGNATURE: Answer = {
    "code": "40002",
    "msg": "Invalid Arguments",
    "sub_code": "isv.invalid-signature",
    "sub_msg": "验签出错",
}
TRADE_NOT_EXIST: Answer = {
    "code": "40004",
    "msg": "Business Failed",
    "sub_code": "ACQ.TRADE_NOT_EXIST",
    "sub_msg": "交易不存在",
}


def _business_failure(sub_code: str, sub_msg: str) -> Answer:
    return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}


def _trade_query(biz: Mapping[str, Any]) -> Answer:
    trade = DemoTrade.objects.filter(out_trade_no=str(biz.get("out_trade_no", ""))).first()
    if trade is None:
        return TRADE_NOT_EXIST
    return {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "buyer_user_id": DEMO_BUYER_ID,
        "trade_status": "TRADE_CLOSED" if trade.refunded_amount >= Decimal(trade.total_amount) else "TRADE_SUCCESS",
        "total_amount": trade.total_amount,
        "buyer_pay_amount": trade.total_amount,
        "send_pay_date": _stamp(trade),
    }


def _refund_answer(trade: DemoTrade, refund: DemoRefund, *, fund_change: bool) -> Answer:
    return {
        "code": "10000",
        "msg": "Success",
        "trade_no": trade.trade_no,
        "out_trade_no": trade.out_trade_no,
        "buyer_logon_id": "dem***@meiduo.example",
        "fund_change": "Y" if fund_change else "N",
        "refund_fee": f"{refund.refund_amount:.2f}",
        "gmt_refund_pay": timezone.localtime(refund.create_time).strftime(TIME_FORMAT),
    }


def demo_refund_make(*, trade: DemoTrade, out_request_no: str, amount: Decimal) -> tuple[DemoRefund, bool] | None:
    """Refund `amount` of the trade once per request number: (refund, made now); None beyond what is left."""
    existing = DemoRefund.objects.filter(trade=trade, out_request_no=out_request_no).first()
    if existing is not None:
        return existing, False
    left = Decimal(trade.total_amount) - amount
    try:
        with transaction.atomic():
            refund = DemoRefund.objects.create(trade=trade, out_request_no=out_request_no, refund_amount=amount)
            # Conditional: concurrent refunds of other request numbers never add up beyond the amount paid.
            if not DemoTrade.objects.filter(pk=trade.pk, refunded_amount__lte=left).update(
                refunded_amount=F("refunded_amount") + amount
            ):
                raise _Exhausted
    except IntegrityError:  # the same request number, made by a concurrent call
        return DemoRefund.objects.get(trade=trade, out_request_no=out_request_no), False
    except _Exhausted:
        return None
    logger.info("demo gateway: refunded %s of trade %s (%s)", amount, trade.trade_no, out_request_no)
    return refund, True


class _Exhausted(Exception):
    """The refund would go beyond what the trade paid."""


def _trade_refund(biz: Mapping[str, Any]) -> Answer:
    trade = DemoTrade.objects.filter(out_trade_no=str(biz.get("out_trade_no", ""))).first()
    if trade is None:
        return TRADE_NOT_EXIST
    out_request_no = str(biz.get("out_request_no") or trade.out_trade_no)[:64]
    try:
        amount = Decimal(str(biz.get("refund_amount", "")))
    except InvalidOperation:
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        return {
            "code": "40002",
            "msg": "Invalid Arguments",
            "sub_code": "isv.invalid-parameter",
            "sub_msg": "退款金额无效",
        }
    made = demo_refund_make(trade=trade, out_request_no=out_request_no, amount=amount)
    if made is None or made[0].refund_amount != amount:
        return _business_failure("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
    refund, now = made
    return _refund_answer(trade, refund, fund_change=now)


def _refund_query(biz: Mapping[str, Any]) -> Answer:
    trade = DemoTrade.objects.filter(out_trade_no=str(biz.get("out_trade_no", ""))).first()
    if trade is None:
        return TRADE_NOT_EXIST
    out_request_no = str(biz.get("out_request_no", ""))
    refund = DemoRefund.objects.filter(trade=trade, out_request_no=out_request_no).first()
    answer: Answer = {"code": "10000", "msg": "Success", "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no}
    if refund is not None:  # Alipay answers success without refund fields for a request it never refunded
        answer |= {
            "out_request_no": out_request_no,
            "total_amount": trade.total_amount,
            "refund_amount": f"{refund.refund_amount:.2f}",
            "refund_status": "REFUND_SUCCESS",
            "gmt_refund_pay": timezone.localtime(refund.create_time).strftime(TIME_FORMAT),
        }
    return answer


API_METHODS = {TRADE_QUERY: _trade_query, TRADE_REFUND: _trade_refund, REFUND_QUERY: _refund_query}


def demo_api_answer(params: Mapping[str, str]) -> str:
    """The JSON text answering a request to one of the gateway's API methods, signed as Alipay signs its answers."""
    single = {key: str(value) for key, value in params.items()}
    method = single.get("method", "")
    response: Answer
    try:
        biz = _verified_biz_content(single, method)
    except DemoRequestError:
        response = INVALID_SIGNATURE
    else:
        response = API_METHODS[method](biz)
    body = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
    signature = sign_text(demo_gateway_key(), body)
    name = method.replace(".", "_") + "_response"
    return f'{{"{name}":{body},"sign":"{signature}"}}'


def demo_trade_of(out_trade_no: str) -> DemoTrade | None:
    """The demo gateway's trade of an order, if it was paid here (its page shows it, refunded or not)."""
    return DemoTrade.objects.filter(out_trade_no=out_trade_no).first()
