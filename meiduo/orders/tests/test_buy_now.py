"""API tests of "buy now" (立即购买): one SKU settled and ordered straight from its page, the cart left as it is."""

from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal

import pytest
from django.db import connection
from freezegun import freeze_time
from rest_framework.test import APIClient

from meiduo.addresses.models import Address
from meiduo.carts.models import CartLine
from meiduo.core import sql
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders import services
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.conftest import Buyer, fill_cart, place
from meiduo.orders.tests.test_api import snapshot, stock_and_sales
from meiduo.users.models import User
from tests.support import run_together

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"
SETTLEMENT = ORDERS + "settlement/"


def cart_of(user: User) -> list[tuple[int, int, bool]]:
    return sorted(CartLine.objects.filter(user=user).values_list("sku_id", "count", "selected"))


def test_settlement_of_a_buy_now_is_that_sku_alone(buyer_api: APIClient, buyer: User, phone: SKU, case: SKU) -> None:
    fill_cart(buyer, (case, 3))
    SKU.objects.filter(pk=phone.pk).update(price=Decimal("120.00"))

    two = buyer_api.get(SETTLEMENT, {"sku_id": phone.id, "count": 2})
    one = buyer_api.get(SETTLEMENT, {"sku_id": phone.id})

    assert two.status_code == 200, two.content
    assert [(line["id"], line["price"], line["count"]) for line in two.json()["skus"]] == [(phone.id, "120.00", 2)]
    assert two.json()["freight"] == "10.00"
    assert [(line["id"], line["count"]) for line in one.json()["skus"]] == [(phone.id, 1)]
    assert [line["id"] for line in buyer_api.get(SETTLEMENT).json()["skus"]] == [case.id]  # the cart's, as before


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"sku_id": 999999}, "sku_id"),
        ({"sku_id": "OFF"}, "sku_id"),
        ({"sku_id": 0}, "sku_id"),
        ({"sku_id": "x"}, "sku_id"),
        ({"sku_id": "PHONE", "count": 0}, "count"),
        ({"sku_id": "PHONE", "count": "two"}, "count"),
    ],
)
def test_settlement_of_a_bad_buy_now_is_400(
    buyer_api: APIClient, phone: SKU, case: SKU, query: dict[str, object], field: str
) -> None:
    SKU.objects.filter(pk=case.pk).update(is_launched=False)
    ids = {"OFF": case.id, "PHONE": phone.id}
    response = buyer_api.get(SETTLEMENT, {key: str(ids.get(str(value), value)) for key, value in query.items()})
    assert response.status_code == 400
    assert field in response.json()


def test_buying_now_orders_that_sku_alone_and_leaves_the_cart(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU, case: SKU
) -> None:
    fill_cart(buyer, (phone, 1), (case, 2))
    cart = cart_of(buyer)

    order_id = place(buyer_api, address, pay_method=2, sku_id=phone.id, count=3, total_amount="0.01")

    order = OrderInfo.objects.get(pk=order_id)
    assert [(line.sku_id, line.count, line.price) for line in order.lines.all()] == [(phone.id, 3, Decimal("100.00"))]
    assert (order.total_count, order.total_amount, order.status) == (3, Decimal("310.00"), OrderInfo.Status.UNPAID)
    assert order.receiver == address.receiver
    assert stock_and_sales(phone)[:2] == (7, 3)
    assert stock_and_sales(case)[:2] == (5, 0)
    assert cart_of(buyer) == cart  # the cart's lines (the same SKU too) stay as they were


def test_buying_now_with_an_empty_cart_and_count_left_out_orders_one(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU
) -> None:
    order_id = place(buyer_api, address, sku_id=phone.id)
    assert OrderInfo.objects.get(pk=order_id).lines.get().count == 1
    assert stock_and_sales(phone)[:2] == (9, 1)
    assert cart_of(buyer) == []


@pytest.mark.parametrize(
    "bad",
    [
        ({"sku_id": 999999}, "sku_id"),
        ({"sku_id": "OFF"}, "sku_id"),
        ({"sku_id": 0}, "sku_id"),
        ({"sku_id": "x"}, "sku_id"),
        ({"sku_id": None}, "sku_id"),
        ({"sku_id": "PHONE", "count": 0}, "count"),
        ({"sku_id": "PHONE", "count": 1.5}, "count"),
        ({"sku_id": "PHONE", "count": 2**63}, "count"),
        ({"sku_id": "PHONE", "count": 11}, "message"),  # 10 in stock
        ({"sku_id": "PHONE", "count": 2**63 - 1}, "message"),
        ({"sku_id": "PHONE", "address": 999999}, "address"),
    ],
)
def test_a_bad_buy_now_is_400_and_changes_nothing(
    buyer_api: APIClient, address: Address, phone: SKU, case: SKU, bad: tuple[dict[str, object], str]
) -> None:
    extra, field = bad
    fill_cart(address.user, (case, 1))
    SKU.objects.filter(pk=case.pk).update(is_launched=False)
    ids = {"OFF": case.id, "PHONE": phone.id}
    body = {"address": address.id, "pay_method": 1, **{key: ids.get(str(value), value) for key, value in extra.items()}}
    before = snapshot(phone, case)

    response = buyer_api.post(ORDERS, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    if field == "message":
        assert response.json()["code"] == "stock_short"
        assert phone.name in response.json()["message"]
    assert snapshot(phone, case) == before


@pytest.mark.parametrize("through_the_cart", [False, True])
def test_an_order_too_large_for_its_totals_is_400_and_changes_nothing(
    buyer_api: APIClient, address: Address, phone: SKU, through_the_cart: bool
) -> None:
    SKU.objects.filter(pk=phone.pk).update(price=Decimal("99999999.99"), stock=1_000)
    body: dict[str, object] = {"address": address.id, "pay_method": 1}
    if through_the_cart:
        fill_cart(address.user, (phone, 200))
    else:
        body |= {"sku_id": phone.id, "count": 200}  # 20 billion: more than an order's amount column holds
    before = snapshot(phone)

    response = buyer_api.post(ORDERS, body, format="json")

    assert response.status_code == 400, response.content
    assert "message" in response.json()
    assert snapshot(phone) == before


def test_buying_now_needs_a_signed_in_shopper(phone: SKU, address: Address) -> None:
    response = APIClient().post(ORDERS, {"address": address.id, "pay_method": 1, "sku_id": phone.id}, format="json")
    assert response.status_code == 401
    assert APIClient().get(SETTLEMENT, {"sku_id": phone.id}).status_code == 401
    assert stock_and_sales(phone)[:2] == (10, 0)


@pytest.mark.skipif(not sql.upserts(), reason="pins the fixed statements; MySQL / MariaDB keep some ORM steps")
def test_buying_now_takes_a_fixed_number_of_statements(
    buyer_api: APIClient,
    address: Address,
    phone: SKU,
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
) -> None:
    # Read the address with the SKU; then, in the transaction (a savepoint inside the test's, and its release):
    # take the stock, insert the order and its line; on PostgreSQL those three are one statement. No cart statement.
    writes = 1 if connection.vendor == "postgresql" else 3
    with freeze_time("2026-03-04 05:06:07"), django_assert_num_queries(1 + 1 + writes + 1):
        place(buyer_api, address, sku_id=phone.id, count=2)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_buying_now_writes_in_one_statement_that_commits_on_its_own(
    buyer_api: APIClient,
    address: Address,
    phone: SKU,
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL's one-statement buy now (this run uses {connection.vendor})")
    # Outside any transaction, as a live request runs: the address-and-SKU read, then one statement that takes the
    # stock and writes the order and its line (no BEGIN, no COMMIT).
    with freeze_time("2026-03-04 05:06:07"), django_assert_num_queries(2):
        first = place(buyer_api, address, sku_id=phone.id, count=2)
    assert stock_and_sales(phone)[:2] == (8, 2)
    assert list(OrderInfo.objects.get(pk=first).lines.values_list("sku_id", "count", "price")) == [
        (phone.id, 2, phone.price)
    ]
    # A number another process gave this second: the statement fails whole (no unit taken twice, no order without
    # its line), the highest number of the second is read, and the order goes in under the next one.
    monkeypatch.setattr(services, "_numbers_given", services._NumbersGiven())
    with freeze_time("2026-03-04 05:06:07"), django_assert_num_queries(2 + 3):
        second = place(buyer_api, address, sku_id=phone.id, count=1)
    assert second == first + "01"
    assert stock_and_sales(phone)[:2] == (7, 3)
    assert OrderInfo.objects.filter(user=address.user).count() == 2
    # Units gone by the time the statement runs (read with stock, then sold elsewhere): 400 stock_short, nothing
    # written.
    real_read = services._address_and_sku
    SKU.objects.filter(pk=phone.id).update(stock=1)

    def read_then_sold_elsewhere(**kwargs: object) -> object:
        found = real_read(**kwargs)  # type: ignore[arg-type]
        SKU.objects.filter(pk=phone.id).update(stock=0)
        return found

    monkeypatch.setattr(services, "_address_and_sku", read_then_sold_elsewhere)
    response = buyer_api.post(ORDERS, {"address": address.id, "pay_method": 1, "sku_id": phone.id}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "stock_short"
    assert stock_and_sales(phone)[:2] == (0, 3)
    assert OrderInfo.objects.filter(user=address.user).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("write_path")
def test_buyers_racing_to_buy_five_units_now_never_oversell(make_buyer: Buyer) -> None:
    hot = SKUFactory.create(stock=5)
    buyers = [make_buyer() for _ in range(24)]

    def buy(user: User) -> Callable[[], tuple[int, dict[str, object]]]:
        address_id = user.addresses.get().id

        def post() -> tuple[int, dict[str, object]]:
            client = APIClient()
            client.force_authenticate(user)
            body = {"address": address_id, "pay_method": 1, "sku_id": hot.id, "count": 1}
            response = client.post(ORDERS, body, format="json")
            return response.status_code, response.json()

        return post

    results = run_together([buy(buyer) for buyer in buyers])

    assert Counter(status for status, _body in results) == {201: 5, 400: 19}, results
    assert all(body["code"] == "stock_short" for status, body in results if status == 400)
    assert stock_and_sales(hot) == (0, 5, 5)
    assert OrderInfo.objects.count() == 5
