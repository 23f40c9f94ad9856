"""The whole story through the API: anonymous cart, login with merge, two checkouts, cancel, ship, receipt, review."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from meiduo.addresses.models import Address
from meiduo.goods.models import SKU
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.test_api import stock_and_sales
from meiduo.users.models import User

pytestmark = pytest.mark.django_db


def test_shopper_story(address: Address, phone: SKU, case: SKU) -> None:
    api = APIClient()
    assert api.post("/api/v1/carts/", {"sku_id": phone.id, "count": 2}, format="json").status_code == 201
    assert api.post("/api/v1/cart/", {"sku_id": case.id, "count": 1}, format="json").status_code == 201

    login = api.post("/api/v1/authorizations/", {"username": "buyer", "password": "password123"}, format="json")
    assert login.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"JWT {login.json()['token']}")
    assert [(line["id"], line["count"]) for line in api.get("/api/v1/carts/").json()] == [(phone.id, 2), (case.id, 1)]

    # Cash on delivery for the phones, online payment for the case.
    api.put("/api/v1/carts/", {"sku_id": case.id, "count": 1, "selected": False}, format="json")
    settlement = api.get("/api/v1/orders/settlement/").json()
    assert [sku["id"] for sku in settlement["skus"]] == [phone.id]
    cash = api.post("/api/v1/orders/", {"address": address.id, "pay_method": 1}, format="json").json()["order_id"]
    api.put("/api/v1/carts/selection/", {"selected": True}, format="json")
    online = api.post("/api/v1/orders/", {"address": address.id, "pay_method": 2}, format="json").json()["order_id"]
    assert api.get("/api/v1/carts/").json() == []
    listed = api.get("/api/v1/orders/").json()["results"]
    assert {(order["order_id"], order["status"]) for order in listed} == {(cash, 2), (online, 1)}

    assert api.put(f"/api/v1/orders/{online}/cancel/").json()["status"] == 6
    assert stock_and_sales(case) == (5, 0, 0)

    User.objects.create_superuser(username="operator", password="operator-pass-123")
    operator = Client()
    operator.login(username="operator", password="operator-pass-123")
    shipment = {f"{cash}-carrier": "sf", f"{cash}-tracking_number": "SF1234567890", "apply": "1"}
    operator.post("/admin/orders/orderinfo/", {"action": "ship", "_selected_action": [cash], **shipment})
    assert OrderInfo.objects.get(pk=cash).status == 3
    assert api.get(f"/api/v1/orders/{cash}/").json()["shipment"] == {"carrier": "sf", "tracking_number": "SF1234567890"}

    assert api.put(f"/api/v1/orders/{cash}/receipt/").json()["status"] == 4
    to_review = api.get(f"/api/v1/orders/{cash}/uncommentgoods/").json()
    assert [item["sku"]["id"] for item in to_review] == [phone.id]
    review = {"order": cash, "sku": phone.id, "comment": "很不错的手机", "score": 5, "is_anonymous": False}
    assert api.post(f"/api/v1/orders/{cash}/comments/", review, format="json").status_code == 201
    assert api.get(f"/api/v1/orders/{cash}/").json()["status"] == 5
    assert stock_and_sales(phone) == (8, 2, 2)
