"""Payments: handing out the gateway's payment page, and accepting a verified payment exactly once.

Return (the shopper's browser), notification (the gateway's server) and the
trade query of the lost-notification job all end in `payment_settle`: it
records the Payment (trade id unique, one per order) and moves the order
unpaid → unsent with the orders lifecycle's conditional update, in one
transaction, so whichever message comes first pays the order and every repeat
finds the same Payment.
"""

import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import ServiceError, ServiceUnavailable
from meiduo.orders.lifecycle import order_mark_paid, own_order, pay_deadline_cutoff
from meiduo.orders.models import OrderInfo
from meiduo.payments import selectors
from meiduo.payments.gateways import TRADE_PAID_STATUSES, Gateway, GatewayError, get_gateway
from meiduo.payments.models import Payment, PaymentAttempt
from meiduo.payments.signing import params_verify
from meiduo.users.models import User

logger = logging.getLogger("meiduo.payments")

PAYABLE_NOT_UNPAID = _("This order is not awaiting payment.")


class PaymentRejected(ServiceError):
    """A return or notification that does not prove a payment of the order: 400, nothing changes."""

    default_message = _("The payment could not be verified.")


class _NotPayable(Exception):
    """The order left the unpaid status before this payment could mark it paid."""


def configured_gateway() -> Gateway:
    """The configured gateway; a misconfiguration is logged and answered 503."""
    try:
        return get_gateway()
    except ImproperlyConfigured as exc:
        logger.error("the payment gateway is not configured: %s", exc)
        raise ServiceUnavailable from exc


def payment_start(*, user: User, order_id: str) -> str:
    """The page-pay URL of the user's unpaid online-payment order; remembers that its payment started."""
    order = own_order(user=user, order_id=order_id)
    if order.pay_method != OrderInfo.PayMethod.ALIPAY:
        raise ServiceError(_("This order is paid in cash on delivery."))
    if order.status != OrderInfo.Status.UNPAID:
        raise ServiceError(PAYABLE_NOT_UNPAID)
    if order.create_time < pay_deadline_cutoff():
        raise ServiceError(_("The time to pay this order has run out."))
    gateway = configured_gateway()
    url = gateway.page_pay_url(
        order_id=order.order_id,
        amount=order.total_amount,
        subject=gettext("Meiduo Mall order %(order_id)s") % {"order_id": order.order_id},
    )
    PaymentAttempt.objects.update_or_create(order=order, defaults={"gateway": gateway.name})
    return url


def _reject(reason: str, params: Mapping[str, Any], message: str | Promise | None = None) -> NoReturn:
    """Log why a payment message was refused (a warning: forged, misrouted or too late) and refuse it."""
    logger.warning(
        "payment rejected: %s (out_trade_no=%r trade_no=%r total_amount=%r app_id=%r)",
        reason,
        params.get("out_trade_no"),
        params.get("trade_no"),
        params.get("total_amount"),
        params.get("app_id"),
    )
    raise PaymentRejected(message)


def _verified(gateway: Gateway, params: Mapping[str, str]) -> None:
    """A callback must carry the gateway's RSA2 signature and be addressed to our app id."""
    if not params_verify(gateway.public_key, params):
        _reject("the signature does not verify with the gateway's public key", params)
    if params.get("app_id") != gateway.app_id:
        _reject("the app id is not ours", params)


def _payment_confirm(*, params: Mapping[str, str], source: str, status_required: bool) -> Payment:
    """Verify a gateway message (return or notify) and settle the payment it reports."""
    gateway = configured_gateway()
    _verified(gateway, params)
    if (status_required or "trade_status" in params) and params.get("trade_status") not in TRADE_PAID_STATUSES:
        _reject(f"trade status {params.get('trade_status')!r}", params)
    return payment_settle(
        gateway=gateway.name,
        out_trade_no=params.get("out_trade_no", ""),
        trade_no=params.get("trade_no", ""),
        total_amount=params.get("total_amount", ""),
        source=source,
        raw=dict(params),
    )


def payment_confirm_return(*, params: Mapping[str, str]) -> Payment:
    """The shopper came back from the gateway with its signed return parameters (no trade status in them)."""
    return _payment_confirm(params=params, source=Payment.Source.RETURN, status_required=False)


def payment_confirm_notify(*, params: Mapping[str, str]) -> Payment:
    """The gateway's signed asynchronous notification of a trade, which must report a paid status."""
    return _payment_confirm(params=params, source=Payment.Source.NOTIFY, status_required=True)


def _same_payment(payment: Payment, order: OrderInfo, raw: Mapping[str, Any]) -> Payment:
    """A repeat of a recorded payment is answered with it; its trade number on another order is refused."""
    if payment.order_id != order.order_id:
        _reject(f"trade {payment.trade_id} already paid order {payment.order_id}", raw)
    return payment


def payment_settle(
    *, gateway: str, out_trade_no: str, trade_no: str, total_amount: str, source: str, raw: Mapping[str, Any]
) -> Payment:
    """Accept a verified trade of the gateway for an order: once, whatever repeats or races with it.

    The order must exist, be an online-payment order, cost exactly the amount
    paid and still be unpaid; then the Payment is recorded and the order paid
    in one transaction. A repeat of an accepted trade returns its Payment.
    """
    order = selectors.order_for_payment(order_id=out_trade_no)
    if order is None:
        _reject("unknown order", raw)
    if order.pay_method != OrderInfo.PayMethod.ALIPAY:
        _reject("not an online-payment order", raw)
    try:
        amount = Decimal(total_amount)
    except InvalidOperation:
        _reject("the amount is not a number", raw)
    if not amount.is_finite() or amount != order.total_amount:
        _reject(f"the amount differs from the order's {order.total_amount}", raw)
    if not trade_no:
        _reject("no trade number", raw)

    existing = selectors.payment_by_trade(trade_id=trade_no)
    if existing is not None:
        return _same_payment(existing, order, raw)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                order=order, gateway=gateway, trade_id=trade_no, amount=amount, source=source, raw=dict(raw)
            )
            if not order_mark_paid(order_id=order.order_id):
                raise _NotPayable
    except IntegrityError:
        # A concurrent message recorded this trade first, or another trade already paid the order.
        existing = selectors.payment_by_trade(trade_id=trade_no)
        if existing is not None:
            return _same_payment(existing, order, raw)
        logger.error("order %s is already paid by another trade: trade %s needs a refund", order.order_id, trade_no)
        _reject("the order is already paid by another trade", raw, PAYABLE_NOT_UNPAID)
    except _NotPayable:
        status = selectors.order_status(order_id=order.order_id)
        _reject(
            f"the order is in status {status}, not unpaid: trade {trade_no} needs a refund", raw, PAYABLE_NOT_UNPAID
        )
    logger.info("order %s paid: %s trade %s of %s (by %s)", order.order_id, gateway, trade_no, amount, source)
    return payment


def payments_settle_pending(*, limit: int = 200) -> int:
    """Ask the gateway about unpaid orders whose payment started; settle those it reports paid. How many."""
    try:
        gateway = get_gateway()
    except ImproperlyConfigured as exc:
        logger.error("the payment gateway is not configured: %s", exc)
        return 0
    settled = 0
    for order_id in selectors.payment_attempts_pending(gateway=gateway.name, limit=limit):
        try:
            trade = gateway.query(order_id)
        except GatewayError as exc:
            logger.warning("payment settle: %s", exc)
            continue
        if trade is None or trade.trade_status not in TRADE_PAID_STATUSES:
            continue
        try:
            payment_settle(
                gateway=gateway.name,
                out_trade_no=order_id,
                trade_no=trade.trade_no,
                total_amount=trade.total_amount,
                source=Payment.Source.QUERY,
                raw=trade.raw,
            )
        except PaymentRejected:
            continue
        settled += 1
    if settled:
        logger.info("payment settle: %d orders paid after their notification went missing", settled)
    return settled
