"""Service tests of orders: rollback on an injected failure, the stock module, payment deadlines, order_mark_paid."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from freezegun import freeze_time

from meiduo.addresses.models import Address
from meiduo.carts.models import CartLine
from meiduo.core.errors import ServiceError
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders import lifecycle, services, tasks
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.conftest import fill_cart
from meiduo.orders.tests.test_api import snapshot, stock_and_sales
from meiduo.stock import services as stock

pytestmark = pytest.mark.django_db


def test_a_failure_after_taking_stock_leaves_stock_cart_and_orders_untouched(
    address: Address, phone: SKU, case: SKU, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_cart(address.user, (phone, 2), (case, 1))
    before = snapshot(phone, case)
    taken: list[dict[int, int]] = []
    real_take = stock.stock_take

    def take_then_fail(*, counts: dict[int, int]) -> None:
        real_take(counts=counts)
        taken.append(dict(counts))
        assert SKU.objects.get(pk=phone.pk).stock == 8  # the stock really was taken inside the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "stock_take", take_then_fail)
    with pytest.raises(RuntimeError):
        services.order_place(user=address.user, address_id=address.id, pay_method=1)
    assert taken == [{phone.id: 2, case.id: 1}]
    assert snapshot(phone, case) == before


def test_a_failure_writing_the_lines_leaves_stock_cart_and_orders_untouched(
    address: Address, phone: SKU, case: SKU, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_cart(address.user, (phone, 2), (case, 1))
    before = snapshot(phone, case)

    def broken_line_writer(**kwargs: Any) -> None:
        assert OrderInfo.objects.filter(user=address.user).exists()  # the order row really was written
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "order_lines_write", broken_line_writer)
    with pytest.raises(RuntimeError):
        services.order_place(user=address.user, address_id=address.id, pay_method=1)
    assert snapshot(phone, case) == before


@pytest.mark.skipif(not connection.features.can_defer_constraint_checks, reason="MySQL takes the stock first")
def test_the_stock_is_taken_last_so_a_hot_sku_stays_locked_only_until_the_commit(
    address: Address, phone: SKU, django_assert_num_queries: Any
) -> None:
    fill_cart(address.user, (phone, 2))
    with django_assert_num_queries(7) as statements:  # the read, savepoint, order, lines, cart, stock, release
        services.order_place(user=address.user, address_id=address.id, pay_method=1)
    writes = [" ".join(query["sql"].split()[:3]).replace('"', "") for query in statements.captured_queries[2:-1]]
    assert writes == [
        "INSERT INTO tb_order_info",
        "INSERT INTO tb_order_goods",
        "DELETE FROM tb_cart_line",
        "UPDATE tb_sku SET",
    ]


@pytest.mark.parametrize("change", [{"count": 3}, {"selected": False}])
def test_a_cart_line_changed_during_checkout_fails_the_order(
    address: Address, phone: SKU, case: SKU, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    fill_cart(address.user, (phone, 1), (case, 1))
    before = (stock_and_sales(phone), stock_and_sales(case))
    real_write = services.order_lines_write

    def write_while_the_shopper_edits_the_cart(**kwargs: Any) -> None:
        CartLine.objects.filter(user=address.user, sku=phone).update(**change)  # PUT carts/ from another tab
        real_write(**kwargs)

    monkeypatch.setattr(services, "order_lines_write", write_while_the_shopper_edits_the_cart)
    with pytest.raises(ServiceError):
        services.order_place(user=address.user, address_id=address.id, pay_method=1)

    assert not OrderInfo.objects.exists()
    assert (stock_and_sales(phone), stock_and_sales(case)) == before
    assert CartLine.objects.filter(user=address.user).count() == 2  # (the edit itself ran in this transaction here)


@pytest.mark.usefixtures("write_path")
def test_stock_take_is_all_or_nothing(phone: SKU, case: SKU) -> None:
    with pytest.raises(stock.StockShort) as short, transaction.atomic():
        stock.stock_take(counts={case.id: 6, phone.id: 1})
    assert short.value.sku_id == case.id
    assert case.name in str(short.value.message)
    assert stock_and_sales(phone) == (10, 0, 0)
    stock.stock_take(counts={case.id: 5, phone.id: 10})
    assert stock_and_sales(phone) == (0, 10, 10)
    assert stock_and_sales(case) == (0, 5, 5)
    stock.stock_return(counts={case.id: 5}, source=stock.Source.CANCEL)
    assert stock_and_sales(case) == (5, 0, 0)


def place_order(address: Address, sku: SKU, count: int, pay_method: int) -> str:
    fill_cart(address.user, (sku, count))
    return services.order_place(user=address.user, address_id=address.id, pay_method=pay_method).order_id


def test_expiry_cancels_only_unpaid_online_orders_past_the_timeout(address: Address, phone: SKU) -> None:
    with freeze_time("2026-03-04 05:00:00"):
        expired = place_order(address, phone, 1, pay_method=2)
        paid = place_order(address, SKUFactory.create(), 1, pay_method=2)
        lifecycle.order_mark_paid(order_id=paid)
        cash = place_order(address, SKUFactory.create(), 1, pay_method=1)
    with freeze_time("2026-03-04 05:20:00"):
        recent = place_order(address, SKUFactory.create(), 1, pay_method=2)
    assert stock_and_sales(phone) == (9, 1, 1)

    with freeze_time("2026-03-04 05:29:59"):
        assert lifecycle.orders_cancel_expired() == 0
    with freeze_time("2026-03-04 05:30:01"):
        assert lifecycle.orders_cancel_expired() == 1
        assert lifecycle.orders_cancel_expired() == 0
    statuses = dict(OrderInfo.objects.values_list("order_id", "status"))
    assert statuses == {expired: 6, paid: 2, cash: 2, recent: 1}
    assert stock_and_sales(phone) == (10, 0, 0)
    assert lifecycle.order_mark_paid(order_id=expired) is False
    assert OrderInfo.objects.get(pk=expired).status == 6


@pytest.mark.parametrize("timeout", [60, 1800])
def test_command_and_beat_task_cancel_expired_orders(address: Address, phone: SKU, settings: Any, timeout: int) -> None:
    settings.ORDER_PAY_TIMEOUT = timeout
    order_id = place_order(address, phone, 2, pay_method=2)
    later = timezone.now() + timedelta(seconds=timeout + 1)
    out = StringIO()
    call_command("cancel_expired_orders", stdout=out)
    assert out.getvalue().strip() == "cancelled 0 expired orders"
    with freeze_time(later):
        call_command("cancel_expired_orders", stdout=out)
    assert "cancelled 1 expired orders" in out.getvalue()
    assert OrderInfo.objects.get(pk=order_id).status == 6
    assert stock_and_sales(phone) == (10, 0, 0)
    with freeze_time(later):
        assert tasks.orders_cancel_expired.delay().get() == 0


def test_beat_schedule_runs_the_expiry_task(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["orders-cancel-expired"]
    assert entry["task"] == tasks.orders_cancel_expired.name


def test_placing_an_order_sends_no_job(
    address: Address, phone: SKU, case: SKU, django_capture_on_commit_callbacks: Any
) -> None:
    # The payment deadline is the beat sweep's (above): placing an order does not wait on the broker.
    with django_capture_on_commit_callbacks() as callbacks:
        place_order(address, phone, 1, pay_method=2)
        place_order(address, case, 1, pay_method=1)
    assert callbacks == []


def test_order_mark_paid_happens_once(address: Address, phone: SKU) -> None:
    order_id = place_order(address, phone, 1, pay_method=2)
    assert lifecycle.order_mark_paid(order_id=order_id) is True
    assert lifecycle.order_mark_paid(order_id=order_id) is False
    assert lifecycle.order_mark_paid(order_id="unknown") is False
    order = OrderInfo.objects.get(pk=order_id)
    assert order.status == 2
    assert order.pay_time is not None


def test_transition_table_refuses_everything_else(address: Address, phone: SKU) -> None:
    order_id = place_order(address, phone, 1, pay_method=1)  # starts at 2 (unsent)
    assert lifecycle.order_transition(order_id=order_id, to=OrderInfo.Status.UNCOMMENTED) is False
    assert lifecycle.order_transition(order_id=order_id, to=OrderInfo.Status.FINISHED) is False
    assert lifecycle.order_mark_paid(order_id=order_id) is False
    assert OrderInfo.objects.get(pk=order_id).status == 2
    assert lifecycle.sources_of(OrderInfo.Status.CANCELLED) == [1, 2]
    assert lifecycle.sources_of(OrderInfo.Status.UNPAID) == []
