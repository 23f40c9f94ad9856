"""The payment gateways behind one interface: Alipay and the built-in demo, both spoken to in Alipay's open API.

A gateway is only configuration: who we are to it (app id, our private key),
how we check what it says (its public key) and where it is (its URL). Both
speak Alipay's protocol, so one client builds the page-pay URL, queries
trades, refunds them (alipay.trade.refund) and asks about refunds
(alipay.trade.fastpay.refund.query), and one function (meiduo.payments.services) verifies their callbacks.

Requests are signed and answers verified by meiduo.payments.signing (RSA2 with `cryptography`), the same
module the demo gateway signs with: one signing implementation. (python-alipay-sdk was dropped: it knows
only Alipay's two URLs, so pointing it at the demo or a test fake meant patching a private attribute, and
the demo gateway needed our module anyway.)
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from meiduo.payments.keys import configured_private_key, configured_public_key, generated_private_key
from meiduo.payments.models import GatewayName
from meiduo.payments.signing import REQUEST_UNSIGNED, SIGN_TYPE, signed_params, verify_text

if TYPE_CHECKING:  # cryptography is loaded by the first signature (meiduo.payments.signing)
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

ALIPAY_SANDBOX_URL = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
ALIPAY_PRODUCTION_URL = "https://openapi.alipay.com/gateway.do"
DEMO_APP_ID = "2021000000000001"
DEMO_SELLER_ID = "2088000000000001"
TRADE_PAID_STATUSES = frozenset({"TRADE_SUCCESS", "TRADE_FINISHED"})
REFUND_SUCCESS = "REFUND_SUCCESS"
# Business failures after which the refund may have been made all the same: ask before trying again.
REFUND_UNSURE_CODES = frozenset({"ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR"})


class GatewayError(Exception):
    """The gateway could not be reached, or its answer was not what the protocol promises."""


class RefundRefused(GatewayError):
    """The gateway answered and did not make this refund (its sub_code says why); nothing moved."""


@dataclass(frozen=True)
class RefundAnswer:
    """What the gateway said about one refund request: confirmed, or not (yet) made."""

    refunded: bool
    trade_no: str
    raw: dict[str, Any]


@dataclass(frozen=True)
class Trade:
    """What the gateway's trade query says about one order."""

    out_trade_no: str
    trade_no: str
    trade_status: str
    total_amount: str
    raw: dict[str, Any]


@dataclass(frozen=True)
class Gateway:
    """One gateway speaking Alipay's open API (page pay, trade query, refund and refund query; RSA2)."""

    name: str
    app_id: str
    app_private_key: "RSAPrivateKey"  # ours: signs what we send
    public_key: "RSAPublicKey"  # the gateway's: checks what it sends
    url: str
    timeout: int

    def _signed(self, method: str, biz: dict[str, Any], **extra: str) -> dict[str, str]:
        """The request parameters of an open-API method, signed with our key (RSA2 over all but `sign`)."""
        params = {
            "app_id": self.app_id,
            "method": method,
            "charset": "utf-8",
            "sign_type": SIGN_TYPE,
            "timestamp": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
            "version": "1.0",
            "biz_content": json.dumps(biz, separators=(",", ":"), ensure_ascii=False),
            **{key: value for key, value in extra.items() if value},
        }
        return signed_params(self.app_private_key, params, unsigned=REQUEST_UNSIGNED)

    def _call(self, method: str, biz: dict[str, Any], *, what: str) -> dict[str, Any]:
        """Call an open-API method and return its answer node, its signature checked with the gateway's key.

        The signature covers the node's exact text in the answer (`{"<method>_response": {...}, "sign": ...}`),
        so that text is cut out of the raw body, not re-serialised.
        """
        import requests  # loaded by the first gateway call (the settle and refund jobs), not by every web process

        node = method.replace(".", "_") + "_response"
        try:
            answer = requests.get(self.url, params=self._signed(method, biz), timeout=self.timeout)
            answer.raise_for_status()
            raw = answer.text
            outer = json.loads(raw)
        except (requests.RequestException, ValueError) as exc:
            raise GatewayError(f"{self.name}: {what} failed: {exc!r}") from exc
        if not isinstance(outer, dict) or node not in outer or not outer.get("sign"):
            raise GatewayError(f"{self.name}: {what} answered without a signed {node}: {raw[:500]!r}")
        start = raw.find("{", raw.find(f'"{node}"') + len(node) + 2)
        try:
            content, end = json.JSONDecoder().raw_decode(raw, start)
        except ValueError as exc:
            raise GatewayError(f"{self.name}: {what} answer unreadable: {raw[:500]!r}") from exc
        if not isinstance(content, dict) or not verify_text(self.public_key, raw[start:end], str(outer["sign"])):
            raise GatewayError(f"{self.name}: {what} answer signature does not verify")
        return content

    def page_pay_url(self, *, order_id: str, amount: Decimal, subject: str) -> str:
        """The signed URL of the gateway's payment page for an order (alipay.trade.page.pay)."""
        biz = {
            "subject": subject,
            "out_trade_no": order_id,
            "total_amount": f"{amount:.2f}",
            "product_code": "FAST_INSTANT_TRADE_PAY",
        }
        params = self._signed(
            "alipay.trade.page.pay",
            biz,
            return_url=settings.PAYMENT_RETURN_URL,
            notify_url=settings.PAYMENT_NOTIFY_URL,
        )
        return f"{self.url}?{urlencode(params)}"

    def query(self, order_id: str) -> Trade | None:
        """Ask the gateway about an order's trade (alipay.trade.query); None when it has none.

        The answer's signature is checked with the gateway's public key.
        """
        answer = self._call("alipay.trade.query", {"out_trade_no": order_id}, what=f"trade query of {order_id}")
        if answer.get("code") != "10000":
            if answer.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                return None
            raise GatewayError(f"{self.name}: trade query of {order_id} answered {answer!r}")
        if answer.get("out_trade_no") != order_id:
            raise GatewayError(f"{self.name}: trade query of {order_id} answered for {answer.get('out_trade_no')!r}")
        return Trade(
            out_trade_no=order_id,
            trade_no=str(answer.get("trade_no", "")),
            trade_status=str(answer.get("trade_status", "")),
            total_amount=str(answer.get("total_amount", "")),
            raw=answer,
        )

    def refund(self, *, order_id: str, out_request_no: str, amount: Decimal, reason: str) -> RefundAnswer:
        """Ask the gateway to refund `amount` of the order's trade (alipay.trade.refund).

        The same `out_request_no` is refunded at most once by the gateway, so a
        repeat is safe. `refunded` is True when the answer confirms the money
        went back (`fund_change` Y); a repeat answers N, after which the caller
        asks with `refund_query`. RefundRefused when the gateway refused it;
        GatewayError when the outcome is unknown (no answer, system error).
        """
        biz = {
            "refund_amount": f"{amount:.2f}",
            "out_trade_no": order_id,
            "out_request_no": out_request_no,
            "refund_reason": reason[:256],
        }
        answer = self._call("alipay.trade.refund", biz, what=f"refund {out_request_no} of {order_id}")
        if answer.get("code") != "10000":
            error = f"{self.name}: refund {out_request_no} of {order_id} answered {answer!r}"
            if answer.get("sub_code") in REFUND_UNSURE_CODES:
                raise GatewayError(error)
            raise RefundRefused(error)
        if answer.get("out_trade_no") != order_id:
            raise GatewayError(f"{self.name}: refund of {order_id} answered for {answer.get('out_trade_no')!r}")
        return RefundAnswer(
            refunded=answer.get("fund_change") == "Y", trade_no=str(answer.get("trade_no", "")), raw=answer
        )

    def refund_query(self, *, order_id: str, out_request_no: str) -> RefundAnswer:
        """Ask whether the refund request was made (alipay.trade.fastpay.refund.query); GatewayError if unknown."""
        biz = {"out_request_no": out_request_no, "out_trade_no": order_id}
        answer = self._call(
            "alipay.trade.fastpay.refund.query", biz, what=f"refund query {out_request_no} of {order_id}"
        )
        if answer.get("code") != "10000":
            raise GatewayError(f"{self.name}: refund query {out_request_no} of {order_id} answered {answer!r}")
        made = answer.get("refund_status") == REFUND_SUCCESS and answer.get("out_request_no") == out_request_no
        return RefundAnswer(refunded=made, trade_no=str(answer.get("trade_no", "")), raw=answer)


def demo_key_path(name: str) -> str:
    """Where a demo key lives: MEIDUO_DATA_DIR/payments/<name>.pem."""
    return str(Path(settings.DATA_DIR) / "payments" / f"{name}.pem")


def demo_shop_key() -> "RSAPrivateKey":
    """The shop's own key towards the demo gateway (signs our requests to it)."""
    return generated_private_key(demo_key_path("demo-shop"))


def demo_gateway_key() -> "RSAPrivateKey":
    """The demo gateway's key (signs its callbacks and answers, as Alipay's key does)."""
    return generated_private_key(demo_key_path("demo-gateway"))


def demo_gateway() -> Gateway:
    """The built-in demo gateway served by the shop itself."""
    return Gateway(
        name=GatewayName.DEMO,
        app_id=DEMO_APP_ID,
        app_private_key=demo_shop_key(),
        public_key=demo_gateway_key().public_key(),
        url=settings.PAYMENT_DEMO_GATEWAY_URL,
        timeout=settings.PAYMENT_GATEWAY_TIMEOUT,
    )


def alipay_gateway() -> Gateway:
    """Alipay (sandbox or production) with the configured app id and keys."""
    if not settings.ALIPAY_APP_ID:
        raise ImproperlyConfigured("ALIPAY_APP_ID must be set when PAYMENT_GATEWAY=alipay")
    url = settings.ALIPAY_GATEWAY_URL or (ALIPAY_SANDBOX_URL if settings.ALIPAY_SANDBOX else ALIPAY_PRODUCTION_URL)
    return Gateway(
        name=GatewayName.ALIPAY,
        app_id=settings.ALIPAY_APP_ID,
        app_private_key=configured_private_key(
            settings.ALIPAY_APP_PRIVATE_KEY, settings.ALIPAY_APP_PRIVATE_KEY_FILE, "ALIPAY_APP_PRIVATE_KEY"
        ),
        public_key=configured_public_key(
            settings.ALIPAY_PUBLIC_KEY, settings.ALIPAY_PUBLIC_KEY_FILE, "ALIPAY_PUBLIC_KEY"
        ),
        url=url,
        timeout=settings.PAYMENT_GATEWAY_TIMEOUT,
    )


GATEWAYS: dict[str, Callable[[], Gateway]] = {GatewayName.DEMO: demo_gateway, GatewayName.ALIPAY: alipay_gateway}


def get_gateway() -> Gateway:
    """The gateway chosen by PAYMENT_GATEWAY; ImproperlyConfigured when it cannot be set up."""
    factory = GATEWAYS.get(settings.PAYMENT_GATEWAY)
    if factory is None:
        known = ", ".join(sorted(GATEWAYS))
        raise ImproperlyConfigured(f"PAYMENT_GATEWAY must be one of {known}, not {settings.PAYMENT_GATEWAY!r}")
    return factory()
