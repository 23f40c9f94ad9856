"""Real concurrency: buyers in threads, each with its own database connection, racing for a few units.

These run on the test database file (SQLite) and on PostgreSQL alike; they
commit for real (transactional tests), so every thread sees the others' work.
"""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from meiduo.carts.models import CartLine
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders import lifecycle
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.conftest import Buyer, fill_cart
from meiduo.orders.tests.test_api import stock_and_sales
from meiduo.users.models import User
from tests.support import run_together

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 24


def order_request(user: User, *, pay_method: int = 1) -> Callable[[], tuple[int, dict[str, Any]]]:
    address_id = user.addresses.get().id

    def post() -> tuple[int, dict[str, Any]]:
        client = APIClient()
        client.force_authenticate(user)
        response = client.post("/api/v1/orders/", {"address": address_id, "pay_method": pay_method}, format="json")
        return response.status_code, response.json()

    return post


@pytest.mark.usefixtures("write_path")
def test_buyers_racing_for_five_units_never_oversell(make_buyer: Buyer) -> None:
    hot = SKUFactory.create(stock=5)
    buyers = [make_buyer() for _ in range(BUYERS)]
    for buyer in buyers:
        fill_cart(buyer, (hot, 1))

    results = run_together([order_request(buyer) for buyer in buyers])

    statuses = Counter(status for status, _body in results)
    assert statuses == {201: 5, 400: BUYERS - 5}, results
    for status, body in results:
        if status == 400:
            assert hot.name in body["message"]
    assert stock_and_sales(hot) == (0, 5, 5)
    assert OrderInfo.objects.count() == 5
    assert CartLine.objects.count() == BUYERS - 5  # the losers keep their cart


def test_multi_sku_orders_race_without_oversell_or_deadlock(make_buyer: Buyer) -> None:
    first, second = SKUFactory.create(stock=5), SKUFactory.create(stock=5)
    buyers = [make_buyer() for _ in range(BUYERS)]
    for index, buyer in enumerate(buyers):
        lines = [(first, 1), (second, 1)] if index % 2 else [(second, 1), (first, 1)]
        fill_cart(buyer, *lines)

    results = run_together([order_request(buyer, pay_method=2) for buyer in buyers])

    assert Counter(status for status, _body in results) == {201: 5, 400: BUYERS - 5}, results
    assert stock_and_sales(first)[:2] == (0, 5)
    assert stock_and_sales(second)[:2] == (0, 5)
    assert OrderInfo.objects.count() == 5


@pytest.mark.usefixtures("write_path")
def test_a_double_submit_places_one_order(make_buyer: Buyer) -> None:
    buyer = make_buyer()
    sku = SKUFactory.create(stock=10)
    fill_cart(buyer, (sku, 2))

    results = run_together([order_request(buyer) for _ in range(6)])

    assert Counter(status for status, _body in results) == {201: 1, 400: 5}, results
    assert stock_and_sales(sku)[:2] == (8, 2)
    assert OrderInfo.objects.count() == 1


def test_cancel_racing_the_expiry_job_returns_stock_once(make_buyer: Buyer) -> None:
    buyers = [make_buyer() for _ in range(6)]
    sku = SKUFactory.create(stock=20)
    for buyer in buyers:
        fill_cart(buyer, (sku, 2))
        order_request(buyer, pay_method=2)()
    OrderInfo.objects.update(create_time=timezone.now() - timedelta(hours=1))
    assert SKU.objects.get(pk=sku.pk).stock == 8

    def cancel(user: User) -> Callable[[], object]:
        order_id = OrderInfo.objects.get(user=user).order_id

        def put() -> object:
            client = APIClient()
            client.force_authenticate(user)
            return client.put(f"/api/v1/orders/{order_id}/cancel/").status_code

        return put

    jobs: list[Callable[[], object]] = [cancel(buyer) for buyer in buyers]
    jobs += [lifecycle.orders_cancel_expired for _ in range(3)]
    results = run_together(jobs)

    cancelled_by_users = results[: len(buyers)].count(200)
    cancelled_by_expiry = sum(result for result in results[len(buyers) :] if isinstance(result, int))
    assert all(result in (200, 400) for result in results[: len(buyers)]), results
    assert cancelled_by_users + cancelled_by_expiry == len(buyers), results
    assert set(OrderInfo.objects.values_list("status", flat=True)) == {6}
    assert stock_and_sales(sku) == (20, 0, 0)
