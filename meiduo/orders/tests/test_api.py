"""API tests of orders: settlement, placement and its bad inputs, the user's orders, cancel, receipt, reviews."""

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import override_settings
from freezegun import freeze_time
from rest_framework.test import APIClient

from meiduo.addresses.models import Address
from meiduo.carts.models import CartLine
from meiduo.core import sql
from meiduo.goods.models import SKU, SPU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders import lifecycle, services
from meiduo.orders.models import OrderGoods, OrderInfo
from meiduo.orders.tests.conftest import Buyer, fill_cart, place
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders/"


def stock_and_sales(sku: SKU) -> tuple[int, int, int]:
    """The SKU's stock and sales, and its SPU's sales (the sum of its SKUs')."""
    sku.refresh_from_db()
    return sku.stock, sku.sales, SKU.objects.filter(spu_id=sku.spu_id).aggregate(units=Sum("sales"))["units"]


def snapshot(*skus: SKU) -> tuple[object, ...]:
    """Everything placing an order may change: stock, sales, carts, orders."""
    return (
        [stock_and_sales(sku) for sku in skus],
        sorted(CartLine.objects.values_list("user_id", "sku_id", "count", "selected")),
        OrderInfo.objects.count(),
        OrderGoods.objects.count(),
    )


# --- settlement -----------------------------------------------------------------------------------


def test_settlement_lists_selected_lines_at_current_prices(
    buyer_api: APIClient, buyer: User, phone: SKU, case: SKU
) -> None:
    fill_cart(buyer, (phone, 2))
    fill_cart(buyer, (case, 1), selected=False)
    SKU.objects.filter(pk=phone.pk).update(price="95.50")
    response = buyer_api.get(ORDERS + "settlement/")
    assert response.status_code == 200
    assert response.json() == {
        "freight": "10.00",
        "skus": [
            {
                "id": phone.id,
                "name": phone.name,
                "default_image_url": f"/media/{phone.default_image.name}",
                "price": "95.50",
                "count": 2,
            }
        ],
    }


@override_settings(ORDER_FREIGHT="12.50", ORDER_FREE_SHIPPING_THRESHOLD="200")
def test_freight_is_configurable_with_a_free_shipping_threshold(
    buyer_api: APIClient, buyer: User, phone: SKU, address: Address
) -> None:
    fill_cart(buyer, (phone, 1))
    assert buyer_api.get(ORDERS + "settlement/").json()["freight"] == "12.50"
    CartLine.objects.filter(user=buyer).update(count=2)
    assert buyer_api.get(ORDERS + "settlement/").json()["freight"] == "0.00"
    order = OrderInfo.objects.get(pk=place(buyer_api, address))
    assert (order.freight, order.total_amount) == (Decimal("0.00"), Decimal("200.00"))


def test_settlement_needs_a_signed_in_user(api: APIClient) -> None:
    assert api.get(ORDERS + "settlement/").status_code == 401
    assert api.post(ORDERS, {"address": 1, "pay_method": 1}, format="json").status_code == 401


# --- placement ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("write_path")
def test_cash_order_is_placed_from_the_selected_lines(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU, case: SKU
) -> None:
    fill_cart(buyer, (phone, 2), (case, 1))
    unselected = SKUFactory.create()
    fill_cart(buyer, (unselected, 1), selected=False)

    with freeze_time("2026-03-04 05:06:07"):
        order_id = place(buyer_api, address, pay_method=1, total_amount="0.01", status=5, price="1.00")

    assert order_id == f"20260304130607{buyer.id:09d}"  # local time (Asia/Shanghai) + padded user id
    order = OrderInfo.objects.get(pk=order_id)
    assert order.user == buyer
    assert order.status == OrderInfo.Status.UNSENT  # cash on delivery waits for shipping
    assert order.pay_method == 1
    assert order.total_count == 3
    assert order.freight == Decimal("10.00")
    assert order.total_amount == Decimal("269.90")  # 2 × 100.00 + 59.90 + 10.00 freight
    assert (order.receiver, order.province, order.city, order.district, order.place, order.mobile) == (
        address.receiver,
        "广东省",
        "深圳市",
        "南山区",
        "科技园南区 1 号",
        "13800138000",
    )
    assert list(order.lines.values_list("sku_id", "count", "price")) == [
        (phone.id, 2, Decimal("100.00")),
        (case.id, 1, Decimal("59.90")),
    ]
    assert stock_and_sales(phone) == (8, 2, 2)
    assert stock_and_sales(case) == (4, 1, 1)
    assert list(CartLine.objects.filter(user=buyer).values_list("sku_id", flat=True)) == [unselected.id]


def test_online_payment_order_starts_unpaid(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    fill_cart(buyer, (phone, 1))
    order = OrderInfo.objects.get(pk=place(buyer_api, address, pay_method=2))
    assert order.status == OrderInfo.Status.UNPAID
    assert order.total_amount == Decimal("110.00")


@pytest.mark.usefixtures("write_path")
def test_two_orders_in_one_second_get_distinct_ids(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU, case: SKU
) -> None:
    with freeze_time("2026-03-04 05:06:07"):
        fill_cart(buyer, (phone, 1))
        first = place(buyer_api, address)
        fill_cart(buyer, (case, 1))
        second = place(buyer_api, address)
        fill_cart(buyer, (phone, 1))
        third = place(buyer_api, address)
    prefix = f"20260304130607{buyer.id:09d}"
    assert (first, second, third) == (prefix, prefix + "01", prefix + "02")


@pytest.mark.skipif(not sql.upserts(), reason="pins the fixed statements; MySQL / MariaDB keep some ORM steps")
def test_placing_an_order_takes_a_fixed_number_of_statements(
    buyer_api: APIClient,
    address: Address,
    phone: SKU,
    case: SKU,
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
) -> None:
    # Read the address with the selected lines; then, in the transaction (a savepoint inside the test's): take
    # the stock of each SKU (its SPU is not written), insert the order, its lines, remove the cart lines.
    fill_cart(address.user, (phone, 1))
    with freeze_time("2026-03-04 05:06:07"), django_assert_num_queries(7):
        place(buyer_api, address)
    fill_cart(address.user, (phone, 1), (case, 2))
    with freeze_time("2026-03-04 05:06:08"), django_assert_num_queries(8):
        place(buyer_api, address)
    fill_cart(address.user, (case, 1))
    with freeze_time("2026-03-04 05:06:08"), django_assert_num_queries(7):  # this process gave …: it tries …01
        assert place(buyer_api, address).endswith("01")


@pytest.mark.skipif(not sql.upserts(), reason="pins the fixed statements; MySQL / MariaDB keep some ORM steps")
def test_a_number_another_process_gave_costs_two_statements_more(
    buyer_api: APIClient,
    address: Address,
    case: SKU,
    django_assert_num_queries: Callable[[int], AbstractContextManager[object]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill_cart(address.user, (case, 1))
    with freeze_time("2026-03-04 05:06:08"):
        first = place(buyer_api, address)
    # This process forgets what it gave, as another web process never knew: the taken number is found taken (the
    # failed insert), then the highest number of that second is read.
    monkeypatch.setattr(services, "_numbers_given", services._NumbersGiven())
    fill_cart(address.user, (case, 1))
    with freeze_time("2026-03-04 05:06:08"), django_assert_num_queries(7 + 2):
        assert place(buyer_api, address) == first + "01"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"address": 999999, "pay_method": 1}, "address"),
        ({"address": "x", "pay_method": 1}, "address"),
        ({"pay_method": 1}, "address"),
        ({"address": "OWN", "pay_method": 3}, "pay_method"),
        ({"address": "OWN", "pay_method": 0}, "pay_method"),
        ({"address": "OWN", "pay_method": "alipay"}, "pay_method"),
        ({"address": "OWN"}, "pay_method"),
    ],
)
def test_bad_placement_input_is_400_and_changes_nothing(
    buyer_api: APIClient, address: Address, phone: SKU, body: dict[str, object], field: str
) -> None:
    fill_cart(address.user, (phone, 1))
    body = {key: address.id if value == "OWN" else value for key, value in body.items()}
    before = snapshot(phone)
    response = buyer_api.post(ORDERS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(phone) == before


def test_someone_elses_or_a_deleted_address_is_400(
    buyer_api: APIClient, buyer: User, address: Address, make_buyer: Buyer, phone: SKU
) -> None:
    fill_cart(buyer, (phone, 1))
    foreign = make_buyer("stranger").addresses.get()
    before = snapshot(phone)
    assert buyer_api.post(ORDERS, {"address": foreign.id, "pay_method": 1}, format="json").status_code == 400
    Address.objects.filter(pk=address.pk).update(is_deleted=True)
    response = buyer_api.post(ORDERS, {"address": address.id, "pay_method": 1}, format="json")
    assert response.status_code == 400
    assert "address" in response.json()
    assert snapshot(phone) == before


def test_nothing_selected_is_400(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    assert buyer_api.post(ORDERS, {"address": address.id, "pay_method": 1}, format="json").status_code == 400
    fill_cart(buyer, (phone, 1), selected=False)
    before = snapshot(phone)
    response = buyer_api.post(ORDERS, {"address": address.id, "pay_method": 1}, format="json")
    assert response.status_code == 400
    assert "message" in response.json()
    assert snapshot(phone) == before


@pytest.mark.usefixtures("write_path")
def test_short_stock_names_the_sku_and_changes_nothing(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU, case: SKU
) -> None:
    fill_cart(buyer, (phone, 2), (case, 5))
    SKU.objects.filter(pk=case.pk).update(stock=4)  # the phone (lower id) is taken first, then rolled back
    before = snapshot(phone, case)
    response = buyer_api.post(ORDERS, {"address": address.id, "pay_method": 1}, format="json")
    assert response.status_code == 400
    assert case.name in response.json()["message"]
    assert snapshot(phone, case) == before


def test_off_sale_sku_is_400_naming_it(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    fill_cart(buyer, (phone, 1))
    SKU.objects.filter(pk=phone.pk).update(is_launched=False)
    before = snapshot(phone)
    response = buyer_api.post(ORDERS, {"address": address.id, "pay_method": 1}, format="json")
    assert response.status_code == 400
    assert phone.name in response.json()["message"]
    assert snapshot(phone) == before


# --- reading orders -------------------------------------------------------------------------------


def test_orders_list_newest_first_with_lines(
    buyer_api: APIClient, address: Address, phone: SKU, case: SKU, make_buyer: Buyer
) -> None:
    buyer = address.user
    with freeze_time("2026-03-04 05:06:07"):
        fill_cart(buyer, (phone, 1))
        first = place(buyer_api, address, pay_method=1)
    with freeze_time("2026-03-04 05:07:00"):
        fill_cart(buyer, (phone, 2), (case, 1))
        second = place(buyer_api, address, pay_method=2)
    stranger = make_buyer("stranger")
    fill_cart(stranger, (case, 1))
    stranger_api = APIClient()
    stranger_api.force_authenticate(stranger)
    place(stranger_api, stranger.addresses.get())

    response = buyer_api.get(ORDERS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [order["order_id"] for order in body["results"]] == [second, first]
    newest = body["results"][0]
    assert newest == {
        "order_id": second,
        "create_time": "2026-03-04T13:07:00+08:00",
        "total_count": 3,
        "total_amount": "269.90",
        "freight": "10.00",
        "pay_method": 2,
        "status": 1,
        "skus": [
            {
                "id": phone.id,
                "name": phone.name,
                "default_image_url": f"/media/{phone.default_image.name}",
                "price": "100.00",
                "count": 2,
            },
            {
                "id": case.id,
                "name": case.name,
                "default_image_url": f"/media/{case.default_image.name}",
                "price": "59.90",
                "count": 1,
            },
        ],
        "refund": None,
        "shipment": None,
    }
    assert buyer_api.get(ORDERS, {"page_size": 1}).json()["results"][0]["order_id"] == second


def test_orders_list_query_count_does_not_grow_with_orders(
    buyer_api: APIClient, buyer: User, address: Address, django_assert_max_num_queries: object
) -> None:
    for _ in range(6):
        skus = SKUFactory.create_batch(2)
        fill_cart(buyer, (skus[0], 1), (skus[1], 2))
        place(buyer_api, address)
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        assert len(buyer_api.get(ORDERS).json()["results"]) == 6


def test_order_detail_keeps_its_address_snapshot(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU
) -> None:
    fill_cart(buyer, (phone, 1))
    order_id = place(buyer_api, address, pay_method=2)
    Address.objects.filter(pk=address.pk).update(receiver="李四", place="别处", is_deleted=True)
    body = buyer_api.get(f"{ORDERS}{order_id}/").json()
    assert body["order_id"] == order_id
    assert body["address"] == {
        "receiver": address.receiver,
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "place": "科技园南区 1 号",
        "mobile": "13800138000",
        "tel": "",
        "email": "",
    }
    assert body["status"] == 1
    assert body["pay_time"] is None
    assert body["cancel_time"] is None
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*\+08:00$", body["create_time"])
    assert [line["id"] for line in body["skus"]] == [phone.id]


def test_someone_elses_order_is_404_on_every_endpoint(
    buyer: User, address: Address, buyer_api: APIClient, phone: SKU, make_buyer: Buyer
) -> None:
    fill_cart(buyer, (phone, 1))
    order_id = place(buyer_api, address, pay_method=2)
    stranger = APIClient()
    stranger.force_authenticate(make_buyer("stranger"))
    before = snapshot(phone)
    assert stranger.get(f"{ORDERS}{order_id}/").status_code == 404
    assert stranger.put(f"{ORDERS}{order_id}/cancel/").status_code == 404
    assert stranger.put(f"{ORDERS}{order_id}/receipt/").status_code == 404
    assert stranger.get(f"{ORDERS}{order_id}/uncommentgoods/").status_code == 404
    comment = {"order": order_id, "sku": phone.id, "comment": "很好很好很好", "score": 5}
    response = stranger.post(f"{ORDERS}{order_id}/comments/", comment, format="json")
    assert response.status_code == 404
    assert "detail" in response.json()
    assert buyer_api.get(f"{ORDERS}nonexistent/").status_code == 404
    assert snapshot(phone) == before
    assert OrderInfo.objects.get(pk=order_id).status == 1


# --- lifecycle ------------------------------------------------------------------------------------


def test_cancel_returns_stock_once(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    fill_cart(buyer, (phone, 3))
    order_id = place(buyer_api, address, pay_method=2)
    assert stock_and_sales(phone) == (7, 3, 3)
    response = buyer_api.put(f"{ORDERS}{order_id}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == 6
    assert response.json()["cancel_time"] is not None
    assert stock_and_sales(phone) == (10, 0, 0)
    again = buyer_api.put(f"{ORDERS}{order_id}/cancel/")
    assert again.status_code == 400
    assert "message" in again.json()
    assert stock_and_sales(phone) == (10, 0, 0)
    assert lifecycle.order_mark_paid(order_id=order_id) is False  # a cancelled order cannot be paid
    assert OrderInfo.objects.get(pk=order_id).status == 6


def test_unsent_cash_order_can_be_cancelled_but_not_once_shipped(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU, case: SKU
) -> None:
    fill_cart(buyer, (phone, 1))
    unsent = place(buyer_api, address, pay_method=1)
    assert buyer_api.put(f"{ORDERS}{unsent}/cancel/").json()["status"] == 6
    fill_cart(buyer, (case, 1))
    shipped = place(buyer_api, address, pay_method=1)
    assert lifecycle.order_ship(order_id=shipped) is True
    assert buyer_api.put(f"{ORDERS}{shipped}/cancel/").status_code == 400
    assert stock_and_sales(case) == (4, 1, 1)


def test_pay_ship_receive(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    fill_cart(buyer, (phone, 1))
    order_id = place(buyer_api, address, pay_method=2)
    assert buyer_api.put(f"{ORDERS}{order_id}/receipt/").status_code == 400  # not shipped yet
    assert lifecycle.order_ship(order_id=order_id) is False  # not paid yet
    assert lifecycle.order_mark_paid(order_id=order_id) is True
    assert lifecycle.order_mark_paid(order_id=order_id) is False  # exactly once
    assert lifecycle.order_ship(order_id=order_id) is True
    response = buyer_api.put(f"{ORDERS}{order_id}/receipt/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 4
    assert all(body[field] for field in ("pay_time", "send_time", "receive_time"))
    assert buyer_api.put(f"{ORDERS}{order_id}/receipt/").status_code == 400


def test_shipped_order_shows_its_carrier_and_tracking_number(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU
) -> None:
    fill_cart(buyer, (phone, 1))
    order_id = place(buyer_api, address, pay_method=1)
    assert buyer_api.get(f"{ORDERS}{order_id}/").json()["shipment"] is None  # not shipped yet
    assert lifecycle.order_ship(order_id=order_id, carrier="sf", tracking_number="SF1234567890") is True
    shipment = {"carrier": "sf", "tracking_number": "SF1234567890"}
    assert buyer_api.get(f"{ORDERS}{order_id}/").json()["shipment"] == shipment
    assert buyer_api.get(ORDERS).json()["results"][0]["shipment"] == shipment
    assert lifecycle.order_ship(order_id=order_id, carrier="zto", tracking_number="ZT000000") is False
    assert buyer_api.get(f"{ORDERS}{order_id}/").json()["shipment"] == shipment  # shipped once, never rewritten


# --- reviews --------------------------------------------------------------------------------------


@pytest.fixture
def received_order(buyer_api: APIClient, buyer: User, address: Address, phone: SKU, case: SKU) -> str:
    """A cash order of a phone and a case, shipped and received (awaiting reviews)."""
    fill_cart(buyer, (phone, 1), (case, 2))
    order_id = place(buyer_api, address, pay_method=1)
    lifecycle.order_ship(order_id=order_id)
    buyer_api.put(f"{ORDERS}{order_id}/receipt/")
    return order_id


def review(client: APIClient, order_id: str, sku: SKU, /, **overrides: object) -> tuple[int, dict[str, object]]:
    body = {"order": order_id, "sku": sku.id, "comment": "手机很好用，发货快", "score": 5, "is_anonymous": False}
    response = client.post(f"{ORDERS}{order_id}/comments/", {**body, **overrides}, format="json")
    return response.status_code, response.json()


def test_reviews_count_and_finish_the_order(buyer_api: APIClient, received_order: str, phone: SKU, case: SKU) -> None:
    uncommented = buyer_api.get(f"{ORDERS}{received_order}/uncommentgoods/").json()
    assert uncommented == [
        {
            "sku": {"id": phone.id, "name": phone.name, "default_image_url": f"/media/{phone.default_image.name}"},
            "price": "100.00",
            "count": 1,
        },
        {
            "sku": {"id": case.id, "name": case.name, "default_image_url": f"/media/{case.default_image.name}"},
            "price": "59.90",
            "count": 2,
        },
    ]
    status, body = review(buyer_api, received_order, phone, score=4, is_anonymous=True)
    assert status == 201
    assert body == {
        "order": received_order,
        "sku": phone.id,
        "comment": "手机很好用，发货快",
        "score": 4,
        "is_anonymous": True,
    }
    line = OrderGoods.objects.get(order_id=received_order, sku=phone)
    assert (line.is_commented, line.score, line.is_anonymous, line.comment) == (True, 4, True, "手机很好用，发货快")
    assert line.comment_time is not None
    phone.refresh_from_db()
    assert phone.comments == 1
    assert SPU.objects.get(pk=phone.spu_id).comments == 1
    assert OrderInfo.objects.get(pk=received_order).status == 4
    assert [item["sku"]["id"] for item in buyer_api.get(f"{ORDERS}{received_order}/uncommentgoods/").json()] == [
        case.id
    ]

    status, _ = review(buyer_api, received_order, case, score=0)
    assert status == 201
    order = OrderInfo.objects.get(pk=received_order)
    assert order.status == 5
    assert order.finish_time is not None
    assert buyer_api.get(f"{ORDERS}{received_order}/uncommentgoods/").json() == []


def review_state() -> tuple[object, ...]:
    return (
        sorted(OrderGoods.objects.values_list("id", "is_commented", "comment", "score", "is_anonymous")),
        sorted(SKU.objects.values_list("id", "comments")),
        sorted(SPU.objects.values_list("id", "comments")),
        sorted(OrderInfo.objects.values_list("order_id", "status")),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"score": 6}, "score"),
        ({"score": -1}, "score"),
        ({"score": "x"}, "score"),
        ({"comment": "太好了"}, "comment"),
        ({"comment": "    好    "}, "comment"),
        ({"comment": ""}, "comment"),
        ({"order": "20200101000000000000001"}, "order"),
        ({"sku": "abc"}, "sku"),
    ],
)
def test_bad_reviews_are_400_and_change_nothing(
    buyer_api: APIClient, received_order: str, phone: SKU, overrides: dict[str, object], field: str
) -> None:
    before = review_state()
    status, body = review(buyer_api, received_order, phone, **overrides)
    assert status == 400
    assert field in body
    assert review_state() == before


def test_review_of_a_line_not_in_the_order_or_twice_is_400(
    buyer_api: APIClient, received_order: str, phone: SKU
) -> None:
    other = SKUFactory.create()
    before = review_state()
    status, body = review(buyer_api, received_order, other)
    assert status == 400
    assert "sku" in body
    assert review_state() == before

    assert review(buyer_api, received_order, phone)[0] == 201
    after_first = review_state()
    status, body = review(buyer_api, received_order, phone, comment="再评价一次可以吗")
    assert status == 400
    assert "message" in body
    assert review_state() == after_first


def test_review_before_receipt_is_400(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    fill_cart(buyer, (phone, 1))
    order_id = place(buyer_api, address, pay_method=1)
    before = review_state()
    status, body = review(buyer_api, order_id, phone)
    assert status == 400
    assert "message" in body
    assert buyer_api.get(f"{ORDERS}{order_id}/uncommentgoods/").json() == []
    assert review_state() == before


def test_reviews_show_on_the_sku_comments_endpoint(
    buyer_api: APIClient, buyer: User, received_order: str, phone: SKU, case: SKU
) -> None:
    review(buyer_api, received_order, phone, comment="第一条评价内容", score=3)
    review(buyer_api, received_order, case, comment="匿名的评价内容", is_anonymous=True)
    phone_reviews = APIClient().get(f"/api/v1/skus/{phone.id}/comments/").json()
    assert [(item["username"], item["comment"], item["score"]) for item in phone_reviews] == [
        (buyer.username, "第一条评价内容", 3)
    ]
    case_reviews = APIClient().get(f"/api/v1/skus/{case.id}/comments/").json()
    assert [item["comment"] for item in case_reviews] == ["匿名的评价内容"]
    assert case_reviews[0]["username"] != buyer.username


def test_messages_are_chinese_by_default_and_english_on_request(
    buyer_api: APIClient, buyer: User, address: Address, case: SKU
) -> None:
    fill_cart(buyer, (case, 6))
    body = {"address": address.id, "pay_method": 1}
    assert buyer_api.post(ORDERS, body, format="json").json() == {
        "message": f"“{case.name}”库存不足。",
        "code": "stock_short",
        "sku_id": case.id,
    }
    english = buyer_api.post(ORDERS, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == f"Not enough stock of “{case.name}”."


def test_an_address_id_beyond_the_database_range_is_400(buyer_api: APIClient, buyer: User, phone: SKU) -> None:
    fill_cart(buyer, (phone, 1))
    response = buyer_api.post(ORDERS, {"address": 10**20, "pay_method": 1}, format="json")
    assert response.status_code == 400
    assert "address" in response.json()


# --- removing an order from one's list ------------------------------------------------------------


def test_closed_orders_leave_the_list_but_are_kept(
    buyer_api: APIClient, address: Address, phone: SKU, case: SKU, received_order: str
) -> None:
    buyer = address.user
    fill_cart(buyer, (phone, 1))
    cancelled = place(buyer_api, address, pay_method=2)
    buyer_api.put(f"{ORDERS}{cancelled}/cancel/")
    fill_cart(buyer, (case, 1))
    kept = place(buyer_api, address, pay_method=2)
    assert buyer_api.get(ORDERS).json()["count"] == 3

    for order_id in (cancelled, received_order):
        response = buyer_api.delete(f"{ORDERS}{order_id}/")
        assert response.status_code == 204, response.content
    body = buyer_api.get(ORDERS).json()
    assert (body["count"], [order["order_id"] for order in body["results"]]) == (1, [kept])
    # Kept for the shop: the rows, their lines and status are unchanged; the buyer can still open it by id.
    assert OrderInfo.objects.filter(pk__in=[cancelled, received_order], is_hidden=True).count() == 2
    assert OrderGoods.objects.filter(order_id=received_order).count() == 2
    detail = buyer_api.get(f"{ORDERS}{cancelled}/").json()
    assert (detail["status"], detail["is_hidden"]) == (6, True)
    # Again: nothing more to do, same answer.
    assert buyer_api.delete(f"{ORDERS}{cancelled}/").status_code == 204


def test_open_orders_cannot_leave_the_list(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    fill_cart(buyer, (phone, 1))
    unpaid = place(buyer_api, address, pay_method=2)
    fill_cart(buyer, (phone, 1))
    unsent = place(buyer_api, address, pay_method=1)
    fill_cart(buyer, (phone, 1))
    unreceived = place(buyer_api, address, pay_method=1)
    lifecycle.order_ship(order_id=unreceived)
    for order_id in (unpaid, unsent, unreceived):
        response = buyer_api.delete(f"{ORDERS}{order_id}/")
        assert response.status_code == 409
        assert response.json()["code"] == "order_open"
        assert "message" in response.json()
    assert not OrderInfo.objects.filter(is_hidden=True).exists()
    assert buyer_api.get(ORDERS).json()["count"] == 3


def test_someone_elses_order_cannot_be_removed(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU, make_buyer: Buyer
) -> None:
    fill_cart(buyer, (phone, 1))
    order_id = place(buyer_api, address, pay_method=2)
    buyer_api.put(f"{ORDERS}{order_id}/cancel/")
    stranger = APIClient()
    stranger.force_authenticate(make_buyer("stranger"))
    response = stranger.delete(f"{ORDERS}{order_id}/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert stranger.delete(f"{ORDERS}nonexistent/").status_code == 404
    assert APIClient().delete(f"{ORDERS}{order_id}/").status_code == 401
    assert OrderInfo.objects.get(pk=order_id).is_hidden is False
    assert buyer_api.get(ORDERS).json()["count"] == 1
