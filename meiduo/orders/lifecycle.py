"""The order lifecycle in one place: the allowed status transitions, each a conditional update done once.

    1 unpaid ──pay──▶ 2 unsent ──ship──▶ 3 unreceived ──receive──▶ 4 uncommented ──all reviewed──▶ 5 finished
       └────cancel / expire──▶ 6 cancelled ◀──cancel──┘

A transition is `UPDATE … SET status = to WHERE order_id = … AND status IN
(allowed sources)` with its row count checked: of any number of concurrent
attempts (a user's cancel, the expiry job, a payment notification) exactly one
wins, and only the winner does the follow-up work (returning stock, and for
an order paid online starting its refund by the payments job's registered
name). Any other transition is refused. Payment calls `order_mark_paid`; the
admin calls `order_ship` and `order_cancel_by_staff`.
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meiduo.core.errors import NotFoundError, ServiceError
from meiduo.core.jobs import job_start
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.stock.models import StockLedgerEntry
from meiduo.stock.services import stock_return
from meiduo.users.models import User

logger = logging.getLogger("meiduo.orders")

Status = OrderInfo.Status
Source = StockLedgerEntry.Source
REFUND_OPEN_TASK = "meiduo.payments.tasks.refund_open_for_order"

TRANSITIONS: dict[int, frozenset[int]] = {
    Status.UNPAID: frozenset({Status.UNSENT, Status.CANCELLED}),
    Status.UNSENT: frozenset({Status.UNRECEIVED, Status.CANCELLED}),
    Status.UNRECEIVED: frozenset({Status.UNCOMMENTED}),
    Status.UNCOMMENTED: frozenset({Status.FINISHED}),
}

# The time field each target status stamps (the order's status history).
STAMPS: dict[int, str] = {
    Status.UNSENT: "pay_time",
    Status.UNRECEIVED: "send_time",
    Status.UNCOMMENTED: "receive_time",
    Status.FINISHED: "finish_time",
    Status.CANCELLED: "cancel_time",
}


def sources_of(target: int) -> list[int]:
    """The statuses an order may move to `target` from."""
    return sorted(source for source, targets in TRANSITIONS.items() if target in targets)


def order_transition(
    *,
    order_id: str,
    to: int,
    sources: list[int] | None = None,
    where: Q | None = None,
    also: Mapping[str, object] | None = None,
) -> bool:
    """Move the order to `to` if it is in an allowed source status (and matches `where`); True if this call did.

    `sources` may narrow the allowed sources (never widen them); `also` are columns written with the status.
    """
    allowed = sources_of(to)
    if sources is not None:
        allowed = [status for status in sources if status in allowed]
    now = timezone.now()
    rows = OrderInfo.objects.filter(where or Q(), order_id=order_id, status__in=allowed)
    return rows.update(status=to, update_time=now, **{STAMPS[to]: now}, **(also or {})) == 1


def own_order(*, user: User, order_id: str) -> OrderInfo:
    """The user's order; 404 for an unknown order or someone else's."""
    order = OrderInfo.objects.filter(order_id=order_id, user=user).first()
    if order is None:
        raise NotFoundError()
    return order


def _line_counts(order_id: str) -> dict[int, int]:
    return dict(OrderGoods.objects.filter(order_id=order_id).values_list("sku_id", "count"))


@transaction.atomic
def order_cancel(
    *,
    order_id: str,
    sources: list[int] | None = None,
    where: Q | None = None,
    requested_by: User | None = None,
    expired: bool = False,
) -> bool:
    """Cancel the order if it may be cancelled; the one call that does returns its stock and sales.

    An order paid online gets its money back: after commit the payments job
    opens and issues its refund (the refunds beat job finds it if that start is lost). The stock ledger
    names the order and why its units came back (cancel, expiry, refund) and who asked.
    """
    if not order_transition(order_id=order_id, to=Status.CANCELLED, sources=sources, where=where):
        return False
    refunds = OrderInfo.objects.filter(
        order_id=order_id, pay_method=OrderInfo.PayMethod.ALIPAY, pay_time__isnull=False
    ).exists()
    source = Source.REFUND if refunds else Source.EXPIRY if expired else Source.CANCEL
    actor_id = requested_by.pk if requested_by else None
    stock_return(counts=_line_counts(order_id), source=source, order_id=order_id, actor_id=actor_id)
    if refunds:
        job = {"order_id": order_id, "requested_by_id": actor_id}
        transaction.on_commit(lambda: job_start(REFUND_OPEN_TASK, kwargs=job))
    return True


def order_cancel_by_user(*, user: User, order_id: str) -> OrderInfo:
    """The buyer cancels their unpaid or unsent order (404 for another's; 400 when it is too late).

    A paid (unsent) order is refunded in full.
    """
    own_order(user=user, order_id=order_id)
    if not order_cancel(order_id=order_id, requested_by=user):
        raise ServiceError(_("This order can no longer be cancelled."))
    return own_order(user=user, order_id=order_id)


def order_cancel_by_staff(*, staff: User, order_id: str) -> bool:
    """An operator cancels an unpaid or unsent order (a paid one is refunded in full); True if this call did."""
    return order_cancel(order_id=order_id, requested_by=staff)


def order_mark_paid(*, order_id: str) -> bool:
    """Payment confirmed: unpaid → unsent. True only for the one call that made it paid.

    False when the order is unknown, already paid, or cancelled (a cancelled order
    cannot be paid: the payment must be refunded by the caller's process).
    """
    return order_transition(order_id=order_id, to=Status.UNSENT)


def order_ship(*, order_id: str, carrier: str = "", tracking_number: str = "") -> bool:
    """The warehouse shipped the order (with this carrier and tracking number): unsent → unreceived.

    True if this call did it; the carrier and number are written with the status, so a shipped order has them.
    """
    also = {"carrier": carrier, "tracking_number": tracking_number}
    return order_transition(order_id=order_id, to=Status.UNRECEIVED, also=also)


def order_receive(*, user: User, order_id: str) -> OrderInfo:
    """The buyer confirms receipt: unreceived → awaiting review (404 for another's order, 400 otherwise)."""
    own_order(user=user, order_id=order_id)
    if not order_transition(order_id=order_id, to=Status.UNCOMMENTED):
        raise ServiceError(_("Only a shipped order can be confirmed as received."))
    return own_order(user=user, order_id=order_id)


def order_finish_if_reviewed(*, order_id: str) -> bool:
    """Awaiting review → finished once every line has a review. True if this call did it."""
    unreviewed = OrderGoods.objects.filter(order_id=OuterRef("order_id"), is_commented=False)
    return order_transition(order_id=order_id, to=Status.FINISHED, where=~Q(Exists(unreviewed)))


def pay_deadline_cutoff(now: datetime | None = None) -> datetime:
    """Unpaid online-payment orders placed before this moment have expired."""
    return (now or timezone.now()) - timedelta(seconds=settings.ORDER_PAY_TIMEOUT)


def order_cancel_if_expired(*, order_id: str, now: datetime | None = None) -> bool:
    """Cancel one unpaid online-payment order whose payment time ran out; True if this call did."""
    return order_cancel(
        order_id=order_id,
        sources=[Status.UNPAID],
        where=Q(pay_method=OrderInfo.PayMethod.ALIPAY, create_time__lt=pay_deadline_cutoff(now)),
        expired=True,
    )


def orders_cancel_expired(*, now: datetime | None = None) -> int:
    """Cancel every unpaid online-payment order older than ORDER_PAY_TIMEOUT; how many this call cancelled."""
    expired = OrderInfo.objects.filter(
        status=Status.UNPAID, pay_method=OrderInfo.PayMethod.ALIPAY, create_time__lt=pay_deadline_cutoff(now)
    )
    order_ids = list(expired.values_list("order_id", flat=True))
    cancelled = sum(order_cancel_if_expired(order_id=order_id, now=now) for order_id in order_ids)
    if cancelled:
        logger.info("cancelled %d unpaid orders past the payment time", cancelled)
    return cancelled
