"""A fake Alipay open-API gateway on loopback: checks the shop's RSA2 request signature, signs with its own key.

It refunds as Alipay does: once per trade and out_request_no (a repeat answers
fund_change N), never beyond the amount paid, and answers refund queries.
"""

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from meiduo.payments.signing import REQUEST_UNSIGNED, params_verify, sign_text, signed_params
from tests.support import loopback_server

SELLER_ID = "2088101122136241"


@dataclass
class FakeAlipay:
    """Alipay as the shop sees it: page pay, trade query, and the callbacks of a trade the buyer paid."""

    app_id: str
    shop_public_key: RSAPublicKey  # checks the shop's requests
    private_key: RSAPrivateKey  # signs callbacks and answers, as Alipay's key does
    url: str = ""
    page_requests: dict[str, dict[str, str]] = field(default_factory=dict)  # out_trade_no -> verified request
    trades: dict[str, dict[str, str]] = field(default_factory=dict)  # out_trade_no -> paid trade
    refused: list[str] = field(default_factory=list)  # why requests were refused
    refunds: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (out_trade_no, out_request_no) -> amount
    refund_calls: int = 0  # alipay.trade.refund requests received, repeats included
    refund_answer: str = ""  # "": answer normally; "error": ACQ.SYSTEM_ERROR after refunding; "refuse": never refund
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        """Forget every request, trade and refund (a fresh Alipay for the next test)."""
        with self.lock:
            self.page_requests.clear()
            self.trades.clear()
            self.refused.clear()
            self.refunds.clear()
            self.refund_calls = 0
            self.refund_answer = ""

    def refunded(self, out_trade_no: str) -> Decimal:
        """How much of the order's trade was given back."""
        return sum((amount for (order, _), amount in self.refunds.items() if order == out_trade_no), Decimal(0))

    def answer_get(self, params: dict[str, str]) -> tuple[int, str, str]:
        """(status, content type, body) for one GET of gateway.do."""
        if params.get("app_id") != self.app_id:
            return self._refuse("isv.invalid-app-id", params)
        if not params_verify(self.shop_public_key, params, unsigned=REQUEST_UNSIGNED):
            return self._refuse("isv.invalid-signature", params)
        biz = json.loads(params["biz_content"])
        if params.get("method") == "alipay.trade.page.pay":
            with self.lock:
                self.page_requests[biz["out_trade_no"]] = params
            page = f"<h1>收银台</h1><p>{biz['out_trade_no']} ¥{biz['total_amount']}</p>"
            return 200, "text/html; charset=utf-8", page
        answers = {
            "alipay.trade.query": self.trade_query,
            "alipay.trade.refund": self.refund,
            "alipay.trade.fastpay.refund.query": self.refund_query,
        }
        method = params.get("method", "")
        if method in answers:
            name = method.replace(".", "_") + "_response"
            return 200, "application/json;charset=utf-8", self.signed_answer(name, answers[method](biz))
        return self._refuse("isv.invalid-method", params)

    def trade_query(self, biz: dict[str, Any]) -> dict[str, Any]:
        """alipay.trade.query: the paid trade of an order."""
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST"}
        return {"code": "10000", "msg": "Success", "buyer_user_id": "2088102177846875", **trade}

    def refund(self, biz: dict[str, Any]) -> dict[str, Any]:
        """alipay.trade.refund: once per out_request_no, never beyond the trade's amount."""
        out_trade_no = biz.get("out_trade_no", "")
        key = (out_trade_no, biz.get("out_request_no") or out_trade_no)
        amount = Decimal(biz["refund_amount"])
        with self.lock:
            self.refund_calls += 1
            trade = self.trades.get(out_trade_no)
            if trade is None:
                return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST"}
            if self.refund_answer == "refuse":
                return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SELLER_BALANCE_NOT_ENOUGH"}
            repeat = key in self.refunds
            if repeat and self.refunds[key] != amount:
                return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"}
            if not repeat:
                if self.refunded(out_trade_no) + amount > Decimal(trade["total_amount"]):
                    return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"}
                self.refunds[key] = amount
            if self.refund_answer == "error":  # refunded, but the answer says the outcome is unknown
                return {"code": "20000", "msg": "Service Currently Unavailable", "sub_code": "ACQ.SYSTEM_ERROR"}
        return {
            "code": "10000",
            "msg": "Success",
            "trade_no": trade["trade_no"],
            "out_trade_no": out_trade_no,
            "buyer_logon_id": "csq***@sandbox.com",
            "fund_change": "N" if repeat else "Y",
            "refund_fee": f"{amount:.2f}",
            "gmt_refund_pay": "2024-05-01 12:30:00",
        }

    def refund_query(self, biz: dict[str, Any]) -> dict[str, Any]:
        """alipay.trade.fastpay.refund.query: success, with the refund's fields only if it was made."""
        out_trade_no = biz.get("out_trade_no", "")
        trade = self.trades.get(out_trade_no)
        if trade is None:
            return {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST"}
        body = {"code": "10000", "msg": "Success", "trade_no": trade["trade_no"], "out_trade_no": out_trade_no}
        amount = self.refunds.get((out_trade_no, biz.get("out_request_no", "")))
        if amount is not None:
            body |= {
                "out_request_no": biz["out_request_no"],
                "total_amount": trade["total_amount"],
                "refund_amount": f"{amount:.2f}",
                "refund_status": "REFUND_SUCCESS",
            }
        return body

    def _refuse(self, sub_code: str, params: dict[str, str]) -> tuple[int, str, str]:
        self.refused.append(sub_code)
        body = {"code": "40002", "msg": "Invalid Arguments", "sub_code": sub_code}
        name = params.get("method", "error").replace(".", "_") + "_response"
        return 200, "application/json;charset=utf-8", json.dumps({name: body})  # unsigned, as Alipay's are

    def signed_answer(self, name: str, body: dict[str, Any]) -> str:
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        return f'{{"{name}":{text},"sign":"{sign_text(self.private_key, text)}"}}'

    def pay(self, out_trade_no: str, *, trade_status: str = "TRADE_SUCCESS") -> str:
        """The buyer pays the page the shop requested for this order; the trade number."""
        request = self.page_requests[out_trade_no]
        biz = json.loads(request["biz_content"])
        trade_no = "2024" + "".join(secrets.choice("0123456789") for _ in range(24))
        self.trades[out_trade_no] = {
            "trade_no": trade_no,
            "out_trade_no": out_trade_no,
            "trade_status": trade_status,
            "total_amount": biz["total_amount"],
        }
        return trade_no

    def return_params(self, out_trade_no: str, /, **changes: str) -> dict[str, str]:
        """The signed parameters Alipay appends to the return URL (with `changes` made before signing)."""
        trade = self.trades[out_trade_no]
        params = {
            "charset": "utf-8",
            "out_trade_no": out_trade_no,
            "method": "alipay.trade.page.pay.return",
            "total_amount": trade["total_amount"],
            "trade_no": trade["trade_no"],
            "auth_app_id": self.app_id,
            "version": "1.0",
            "app_id": self.app_id,
            "seller_id": SELLER_ID,
            "timestamp": "2024-05-01 12:00:00",
            **changes,
        }
        return signed_params(self.private_key, params)

    def notify_params(self, out_trade_no: str, /, **changes: str) -> dict[str, str]:
        """The signed asynchronous notification Alipay posts to the notify URL."""
        trade = self.trades[out_trade_no]
        params = {
            "gmt_create": "2024-05-01 11:59:50",
            "charset": "utf-8",
            "gmt_payment": "2024-05-01 12:00:00",
            "notify_time": "2024-05-01 12:00:01",
            "subject": "美多商城订单",
            "buyer_id": "2088102177846875",
            "invoice_amount": trade["total_amount"],
            "version": "1.0",
            "notify_id": secrets.token_hex(16),
            "fund_bill_list": json.dumps([{"amount": trade["total_amount"], "fundChannel": "ALIPAYACCOUNT"}]),
            "notify_type": "trade_status_sync",
            "out_trade_no": out_trade_no,
            "total_amount": trade["total_amount"],
            "trade_status": trade["trade_status"],
            "trade_no": trade["trade_no"],
            "auth_app_id": self.app_id,
            "receipt_amount": trade["total_amount"],
            "point_amount": "0.00",
            "app_id": self.app_id,
            "buyer_pay_amount": trade["total_amount"],
            "seller_id": SELLER_ID,
            **changes,
        }
        return signed_params(self.private_key, params)


def handler_for(fake: FakeAlipay) -> type[BaseHTTPRequestHandler]:
    """An HTTP handler class serving `fake` at /gateway.do."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            split = urlsplit(self.path)
            if split.path != "/gateway.do":
                self.send_error(404)
                return
            status, content_type, body = fake.answer_get(dict(parse_qsl(split.query, keep_blank_values=True)))
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            return

    return Handler


@contextmanager
def running(fake: FakeAlipay) -> Iterator[FakeAlipay]:
    """Serve the fake on a free loopback port for the duration of the block; its URL is `fake.url`."""
    with loopback_server(handler_for(fake)) as base:
        fake.url = base + "/gateway.do"
        yield fake
