"""Payments: handing out the gateway's payment page, accepting a verified payment exactly once, and refunds.

Return (the shopper's browser), notification (the gateway's server) and the
trade query of the lost-notification job all end in `payment_settle`: it
records the Payment (trade id unique, one per order) and moves the order
unpaid → unsent with the orders lifecycle's conditional update, in one
transaction, so whichever message comes first pays the order and every repeat
finds the same Payment. Money that arrives for a cancelled (or expired) order
is recorded all the same, with its Refund opened in the same transaction.

A Refund (one per payment, the full amount) is opened when a paid order is
cancelled or paid too late, and issued at the gateway by `refund_issue` under
a request number fixed at opening, so any number of tries refund once; the
`refunds_retry` beat job retries until the gateway confirms, asking it first
whenever an earlier try's outcome is unknown.
"""

import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import ServiceError, ServiceUnavailable
from meiduo.core.jobs import job_start
from meiduo.orders.lifecycle import order_mark_paid, own_order, pay_deadline_cutoff
from meiduo.orders.models import OrderInfo
from meiduo.payments import selectors
from meiduo.payments.gateways import (
    GATEWAYS,
    TRADE_PAID_STATUSES,
    Gateway,
    GatewayError,
    RefundAnswer,
    RefundRefused,
    get_gateway,
)
from meiduo.payments.models import Payment, PaymentAttempt, Refund
from meiduo.payments.signing import params_verify
from meiduo.users.models import User

logger = logging.getLogger("meiduo.payments")

PAYABLE_NOT_UNPAID = _("This order is not awaiting payment.")
PAID_TOO_LATE = _("This order was cancelled before your payment arrived; the payment is being refunded in full.")
REFUND_ISSUE_TASK = "meiduo.payments.tasks.refund_issue"


class PaymentRejected(ServiceError):
    """A return or notification that does not prove a payment of the order: 400, nothing changes."""

    code = "payment_unverified"
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
    """The shopper came back from the gateway with its signed return parameters (no trade status in them).

    Money that paid a cancelled order is kept for refunding, and the shopper is told so (400).
    """
    payment = _payment_confirm(params=params, source=Payment.Source.RETURN, status_required=False)
    if selectors.refund_of(payment=payment) is not None:
        raise PaymentRejected(PAID_TOO_LATE)
    return payment


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
        return _recorded_before(order=order, trade_no=trade_no, raw=raw)
    except _NotPayable:
        status = selectors.order_status(order_id=order.order_id)
        if status == OrderInfo.Status.CANCELLED:
            return _payment_record_for_refund(
                order=order, gateway=gateway, trade_no=trade_no, amount=amount, source=source, raw=raw
            )
        _reject(
            f"the order is in status {status}, not unpaid: trade {trade_no} needs a refund", raw, PAYABLE_NOT_UNPAID
        )
    logger.info("order %s paid: %s trade %s of %s (by %s)", order.order_id, gateway, trade_no, amount, source)
    return payment


def _recorded_before(*, order: OrderInfo, trade_no: str, raw: Mapping[str, Any]) -> Payment:
    """A Payment could not be written: a concurrent message recorded this trade first (its Payment is the answer),
    or another trade already paid the order (refused: that second trade must be refunded by hand)."""
    existing = selectors.payment_by_trade(trade_id=trade_no)
    if existing is not None:
        return _same_payment(existing, order, raw)
    logger.error("order %s is already paid by another trade: trade %s needs a refund", order.order_id, trade_no)
    _reject("the order is already paid by another trade", raw, PAYABLE_NOT_UNPAID)


def _payment_record_for_refund(
    *, order: OrderInfo, gateway: str, trade_no: str, amount: Decimal, source: str, raw: Mapping[str, Any]
) -> Payment:
    """Money arrived for a cancelled order: record it and open its refund together (once, whatever races)."""
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                order=order, gateway=gateway, trade_id=trade_no, amount=amount, source=source, raw=dict(raw)
            )
            refund_open(payment=payment, reason=Refund.Reason.PAID_TOO_LATE, requested_by_id=None)
    except IntegrityError:
        return _recorded_before(order=order, trade_no=trade_no, raw=raw)
    logger.warning(
        "order %s was cancelled before %s trade %s of %s arrived (by %s): refund opened",
        order.order_id,
        gateway,
        trade_no,
        amount,
        source,
    )
    return payment


def refund_out_request_no(payment: Payment) -> str:
    """The refund request number of a payment's refund: the same for every try, unique per payment."""
    return f"RF{payment.order_id}"


def refund_open(*, payment: Payment, reason: str, requested_by_id: int | None) -> Refund:
    """Open the refund of the whole payment (once: a repeat or a racing call gets the one opened first).

    Issuing it is started after commit; the `refunds_retry` beat job covers a lost start.
    """
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                payment=payment,
                out_request_no=refund_out_request_no(payment),
                amount=payment.amount,
                reason=reason,
                requested_by_id=requested_by_id,
            )
    except IntegrityError:
        return Refund.objects.get(payment=payment)
    refund_id = refund.pk
    transaction.on_commit(lambda: job_start(REFUND_ISSUE_TASK, kwargs={"refund_id": refund_id}))
    logger.info("refund %s of %s opened (%s)", refund.out_request_no, payment.amount, reason)
    return refund


def refund_open_for_order(*, order_id: str, requested_by_id: int | None = None) -> Refund | None:
    """A cancelled order's online payment goes back to the shopper: open its refund. None if it had none.

    The reason follows from who asked: the buyer, staff, or nobody (found by the beat job).
    """
    payment = selectors.payment_of_cancelled_order(order_id=order_id)
    if payment is None:
        return None
    if requested_by_id is None:
        reason = Refund.Reason.CANCELLED
    elif requested_by_id == payment.order.user_id:
        reason = Refund.Reason.CANCELLED_BY_USER
    else:
        reason = Refund.Reason.CANCELLED_BY_STAFF
    return refund_open(payment=payment, reason=reason, requested_by_id=requested_by_id)


def _refund_note(refund_id: int, error: str) -> None:
    """Remember why a try did not end the refund (staff see it in the admin)."""
    Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING).update(last_error=error[:2000])


def _refund_ask(gateway: Gateway, refund: Refund) -> RefundAnswer:
    """Issue the refund, asking first when an earlier try may have made it, and asking after an unsure answer."""
    order_id = refund.payment.order_id
    if refund.attempts > 1:
        answer = gateway.refund_query(order_id=order_id, out_request_no=refund.out_request_no)
        if answer.refunded:
            return answer
    answer = gateway.refund(
        order_id=order_id,
        out_request_no=refund.out_request_no,
        amount=refund.amount,
        reason=str(Refund.Reason(refund.reason).label),
    )
    if answer.refunded:
        return answer
    # fund_change N: this request number was refunded before, or is still under way; its own query says which.
    return gateway.refund_query(order_id=order_id, out_request_no=refund.out_request_no)


def refund_issue(*, refund_id: int) -> bool:
    """Try the refund at its payment's gateway once; True when it is done (now or before)."""
    if not Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING).update(
        attempts=F("attempts") + 1, update_time=timezone.now()
    ):
        return Refund.objects.filter(pk=refund_id).exists()
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    try:
        gateway = GATEWAYS[refund.payment.gateway]()
        answer = _refund_ask(gateway, refund)
    except (ImproperlyConfigured, KeyError) as exc:
        logger.error("refund %s: the gateway %s is not configured: %s", refund, refund.payment.gateway, exc)
        _refund_note(refund_id, f"gateway not configured: {exc}")
        return False
    except RefundRefused as exc:
        logger.error("refund %s refused by the gateway: %s", refund, exc)
        _refund_note(refund_id, str(exc))
        return False
    except GatewayError as exc:
        logger.warning("refund %s: outcome unknown, asked again later: %s", refund, exc)
        _refund_note(refund_id, str(exc))
        return False
    if not answer.refunded:
        _refund_note(refund_id, f"the gateway does not confirm the refund yet: {answer.raw!r}")
        return False
    confirmed = Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING).update(
        status=Refund.Status.REFUNDED,
        gateway_refund_id=f"{answer.trade_no}/{refund.out_request_no}",
        raw=answer.raw,
        last_error="",
        refund_time=timezone.now(),
    )
    if confirmed:
        logger.info("refund %s of %s confirmed by %s", refund, refund.amount, gateway.name)
    return True


def refund_mark(*, refund_id: int, staff_username: str) -> bool:
    """Staff record that a pending refund was made outside the shop's gateway call; True if this call did."""
    marked = Refund.objects.filter(pk=refund_id, status=Refund.Status.PENDING).update(
        status=Refund.Status.MARKED,
        last_error=f"marked refunded by {staff_username}",
        refund_time=timezone.now(),
        update_time=timezone.now(),
    )
    if marked:
        logger.warning("refund %s marked refunded by %s", refund_id, staff_username)
    return marked == 1


def refunds_retry(*, limit: int = 200) -> int:
    """Beat job: open refunds cancelled paid orders are owed, and try every pending one; how many got done."""
    for order_id in selectors.cancelled_paid_orders_without_refund(limit=limit):
        refund_open_for_order(order_id=order_id)
    done = sum(refund_issue(refund_id=refund_id) for refund_id in selectors.refunds_pending(limit=limit))
    if done:
        logger.info("refunds retry: %d refunds confirmed", done)
    return done


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
