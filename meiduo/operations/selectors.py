"""Reads for the dashboard: each figure is one aggregate query, so their number never grows with the data.

Days are the shop's days (TIME_ZONE); a day's rows are found with a range on an indexed time column.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from meiduo.goods.models import SKU, GoodsVisitCount
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.payments.models import Payment
from meiduo.stock.models import StockLedgerEntry
from meiduo.users.models import User

CHART_DAYS = 30
TOP_SKU_DAYS = 7
LIST_LENGTH = 10
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DayFigures:
    """One day's headline figures."""

    new_users: int
    active_users: int
    orders_placed: int
    orders_paid: int
    revenue_paid: Decimal


def day_start(day: date) -> datetime:
    """The first instant of a shop day, aware."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _series(model: Any, column: str, days: list[date], amount: str | None = None) -> tuple[list[int], list[Decimal]]:
    """Rows per shop day of `column` over `days` (and the sum of `amount`): one query of filtered aggregates.

    A range test per day rather than grouping by a date cast: no function runs per row (on SQLite a Python one).
    """
    bounds = [day_start(day) for day in days] + [day_start(days[-1] + timedelta(days=1))]
    aggregates: dict[str, Any] = {}
    for index in range(len(days)):
        window = Q(**{f"{column}__gte": bounds[index], f"{column}__lt": bounds[index + 1]})
        aggregates[f"n{index}"] = Count("pk", filter=window)
        if amount:
            aggregates[f"s{index}"] = Sum(amount, filter=window)
    rows = model._default_manager.filter(**{f"{column}__gte": bounds[0], f"{column}__lt": bounds[-1]})
    found = rows.aggregate(**aggregates)
    counts = [found[f"n{index}"] or 0 for index in range(len(days))]
    sums = [Decimal(found.get(f"s{index}") or 0).quantize(CENT) for index in range(len(days))]
    return counts, sums


def active_users_count(*, day: date) -> int:
    """Users who signed in (their last sign-in) or placed an order on `day`: one query (a UNION, counted)."""
    start, end = day_start(day), day_start(day + timedelta(days=1))
    signed_in = User.objects.filter(last_login__gte=start, last_login__lt=end).values("id").order_by()
    ordered = OrderInfo.objects.filter(create_time__gte=start, create_time__lt=end).values("user_id").order_by()
    return signed_in.union(ordered).count()


def dashboard_figures(*, today: date | None = None) -> dict[str, object]:
    """Everything the dashboard shows, in a fixed number of queries (9)."""
    today = today or timezone.localdate()
    days = [today - timedelta(days=offset) for offset in range(CHART_DAYS - 1, -1, -1)]
    new_users, _none = _series(User, "date_joined", days)
    orders_placed, _none = _series(OrderInfo, "create_time", days)
    orders_paid, revenue = _series(Payment, "create_time", days, amount="amount")

    def figures(index: int, day: date) -> DayFigures:
        return DayFigures(
            new_users=new_users[index],
            active_users=active_users_count(day=day),
            orders_placed=orders_placed[index],
            orders_paid=orders_paid[index],
            revenue_paid=revenue[index],
        )

    return {
        "today": figures(-1, today),
        "yesterday": figures(-2, today - timedelta(days=1)),
        "chart": {
            "days": [day.isoformat() for day in days],
            "new_users": new_users,
            "orders_placed": orders_placed,
            "revenue_paid": [str(amount) for amount in revenue],
        },
        "orders_by_status": orders_by_status(),
        "top_skus": top_skus(since=day_start(today - timedelta(days=TOP_SKU_DAYS - 1))),
        "category_visits": category_visits(day=today),
        "low_stock": low_stock_skus(),
    }


def orders_by_status() -> list[dict[str, Any]]:
    """Every status with its number of orders (zero included), in the lifecycle's order: one query."""
    counts = dict(OrderInfo.objects.values_list("status").annotate(count=Count("pk")).order_by())
    return [{"label": label, "count": counts.get(value, 0)} for value, label in OrderInfo.Status.choices]


def top_skus(*, since: datetime) -> list[dict[str, Any]]:
    """The SKUs most units of were ordered since `since` (cancelled orders left out), most first: one query."""
    orders = OrderInfo.objects.filter(create_time__gte=since).exclude(status=OrderInfo.Status.CANCELLED)
    return list(
        OrderGoods.objects.filter(order_id__in=orders.values("pk"))
        .values("sku_id", "sku__name")
        .annotate(units=Sum("count"))
        .order_by("-units", "sku_id")[:LIST_LENGTH]
    )


def category_visits(*, day: date) -> list[dict[str, Any]]:
    """The most visited categories of `day` with their visits (the list pages' counter): one query."""
    rows = GoodsVisitCount.objects.filter(date=day).values("category_id", "category__name", "count")
    return [dict(row) for row in rows.order_by("-count", "category_id")[:LIST_LENGTH]]


def low_stock_skus() -> dict[str, object]:
    """Launched SKUs at or below LOW_STOCK_THRESHOLD, fewest first (the first few and how many): one query."""
    rows = SKU.objects.filter(is_launched=True, stock__lte=settings.LOW_STOCK_THRESHOLD)
    # The count over all matching rows rides along the first ten (a window): one scan, not two.
    first = list(
        rows.annotate(total=Window(Count("pk")))
        .values("id", "name", "stock", "total")
        .order_by("stock", "id")[:LIST_LENGTH]
    )
    return {
        "threshold": settings.LOW_STOCK_THRESHOLD,
        "count": first[0]["total"] if first else 0,
        "skus": first,
    }


HISTORY_LENGTH = 100


def stock_history(*, sku_id: int) -> list[dict[str, Any]]:
    """The SKU's latest stock changes, newest first: ledger rows and placements (its order lines, as −units),
    the last HISTORY_LENGTH of each merged: two queries."""
    ledger: list[dict[str, Any]] = [
        {
            "time": row.create_time,
            "delta": row.delta,
            "stock_after": row.stock_after,
            "source": row.get_source_display(),
            "reason": row.reason,
            "order_id": row.order_id,
            "actor": row.actor.get_username() if row.actor else "",
        }
        for row in StockLedgerEntry.objects.filter(sku_id=sku_id).select_related("actor")[:HISTORY_LENGTH]
    ]
    lines = (
        OrderGoods.objects.filter(sku_id=sku_id)
        .order_by("-order__create_time")
        .values_list("order__create_time", "count", "order_id", "order__user__username")[:HISTORY_LENGTH]
    )
    placed: list[dict[str, Any]] = [
        {"time": at, "delta": -count, "stock_after": None, "source": _("order placed"), "reason": "",
         "order_id": order_id, "actor": username}
        for at, count, order_id, username in lines
    ]  # fmt: skip
    return sorted(ledger + placed, key=lambda row: row["time"], reverse=True)[:HISTORY_LENGTH]
