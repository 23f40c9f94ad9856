"""Every /api/compat/ shape checked against the /api/v1/ answer of the same path, and the same rules underneath."""

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from meiduo.addresses.models import Address
from meiduo.goods.models import SKU
from meiduo.goods.tests.conftest import PhoneCatalog
from meiduo.orders.models import OrderInfo
from meiduo.orders.tests.conftest import fill_cart, place
from meiduo.users.models import User
from tests.support import searching

pytestmark = pytest.mark.django_db


def both(client: APIClient, method: str, path: str, data: object = None) -> tuple[Any, Any]:
    """The v1 and the compat answer of the same request."""
    v1 = getattr(client, method)(f"/api/v1/{path}", data, format="json" if method != "get" else None)
    compat = getattr(client, method)(f"/api/compat/{path}", data, format="json" if method != "get" else None)
    return v1, compat


def test_my_orders_lines_nest_the_sku(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    fill_cart(buyer, (phone, 2))
    order_id = place(buyer_api, address)

    v1, compat = both(buyer_api, "get", "orders/")

    assert v1.status_code == compat.status_code == 200
    v1_order, compat_order = v1.json()["results"][0], compat.json()["results"][0]
    assert compat_order["order_id"] == order_id
    assert {k: v for k, v in compat_order.items() if k != "skus"} == {k: v for k, v in v1_order.items() if k != "skus"}
    assert compat_order["skus"] == [
        {
            "sku": {"id": phone.id, "name": phone.name, "default_image_url": v1_order["skus"][0]["default_image_url"]},
            "price": "100.00",
            "count": 2,
        }
    ]
    assert v1_order["skus"][0]["price"] == "100.00"


def test_my_orders_pages_link_to_compat(buyer_api: APIClient, buyer: User, address: Address, phone: SKU) -> None:
    for _ in range(2):
        fill_cart(buyer, (phone, 1))
        place(buyer_api, address)

    body = buyer_api.get("/api/compat/orders/", {"page_size": 1}).json()

    assert body["count"] == 2
    assert body["next"].startswith("http://testserver/api/compat/orders/?")
    assert body["previous"] is None


@searching
def test_search_results_are_haystack_objects(api: APIClient, phone_catalog: PhoneCatalog) -> None:
    v1, compat = both(api, "get", "skus/search/?text=512GB")

    assert compat.status_code == 200
    v1_body, compat_body = v1.json(), compat.json()
    assert compat_body["count"] == v1_body["count"] == 1
    assert compat_body["results"] == [{**card, "text": card["name"], "object": card} for card in v1_body["results"]]
    assert set(compat_body["results"][0]["object"]) == {"id", "name", "price", "default_image_url", "comments"}


@searching
def test_cached_search_has_its_own_etag_and_304(api: APIClient, phone_catalog: PhoneCatalog) -> None:
    v1 = api.get("/api/v1/skus/search/", {"text": "手机"})
    first = api.get("/api/compat/skus/search/", {"text": "手机"})

    assert first["ETag"] != v1["ETag"]
    assert api.get("/api/compat/skus/search/", {"text": "手机"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A v1 ETag does not stand for the compat body (also when a middleware read the headers: a CORS request).
    extras: list[dict[str, Any]] = [{}, {"HTTP_ORIGIN": "http://127.0.0.1:8080"}]
    for extra in extras:
        stale = api.get("/api/compat/skus/search/", {"text": "手机"}, HTTP_IF_NONE_MATCH=v1["ETag"], **extra)
        assert stale.status_code == 200
        assert stale.json() == first.json()


def test_catalog_answers_are_the_v1_ones(api: APIClient, phone_catalog: PhoneCatalog) -> None:
    sku = phone_catalog.black_256
    for path in (
        "home/",
        f"categories/{phone_catalog.cat3.id}/",
        f"categories/{phone_catalog.cat3.id}/skus/",
        f"skus/{sku.id}/",
        "areas/",
    ):
        v1, compat = both(api, "get", path)
        assert (compat.status_code, compat.json()) == (v1.status_code, v1.json()), path


def test_cart_error_has_non_field_errors(api: APIClient, phone: SKU) -> None:
    v1, compat = both(api, "post", "carts/", {"sku_id": phone.id, "count": 11})

    assert v1.status_code == compat.status_code == 400
    assert compat.json() == {**v1.json(), "non_field_errors": [v1.json()["message"]]}
    assert api.get("/api/v1/carts/").json() == []  # nothing added by either


def test_field_errors_keep_drf_shape(api: APIClient) -> None:
    v1, compat = both(api, "post", "users/", {"username": "ab"})

    assert compat.status_code == 400
    assert compat.json() == v1.json()
    assert compat.json()["username"]


def test_login_answers_the_notes_token_shape(api: APIClient, buyer: User) -> None:
    body = api.post("/api/compat/authorizations/", {"username": buyer.username, "password": "password123"}).json()

    assert body["user_id"] == buyer.id
    assert body["username"] == buyer.username
    # The token works as the notes' front end sends it.
    api.credentials(HTTP_AUTHORIZATION=f"JWT {body['token']}")
    assert api.get("/api/compat/user/").json()["username"] == buyer.username


def test_bad_login_and_anonymous_access_show_a_reason(api: APIClient, buyer: User) -> None:
    v1, compat = both(api, "post", "authorizations/", {"username": buyer.username, "password": "wrong-password"})
    assert v1.status_code == compat.status_code == 400
    assert compat.json()["non_field_errors"]

    v1, compat = both(api, "get", "orders/")
    assert v1.status_code == compat.status_code == 401
    assert compat.json()["non_field_errors"] == [v1.json()["detail"]]


def test_password_change_is_the_v1_service(buyer_api: APIClient, buyer: User) -> None:
    response = buyer_api.put(
        f"/api/compat/users/{buyer.id}/password/",
        {"old_password": "password123", "password": "newpass1234", "password2": "newpass1234"},
        format="json",
    )

    assert response.status_code == 200, response.content
    buyer.refresh_from_db()
    assert buyer.check_password("newpass1234")


def test_unknown_path_is_json_404(api: APIClient) -> None:
    for path in ("/api/compat/nothing/", "/api/compat/../v1/home/", "/api/compat/admin/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["detail"]


def test_sms_limit_is_shared_with_v1(api: APIClient, settings) -> None:
    settings.SMS_CAPTCHA_REQUIRED = False
    assert api.get("/api/v1/sms_codes/13912345678/").status_code == 200

    again = api.get("/api/compat/sms_codes/13912345678/")

    assert again.status_code == 429
    assert again.json()["non_field_errors"] == [again.json()["message"]]
    assert again["Retry-After"]


def test_place_order_with_a_price_of_the_database(
    buyer_api: APIClient, buyer: User, address: Address, phone: SKU
) -> None:
    fill_cart(buyer, (phone, 1))
    response = buyer_api.post(
        "/api/compat/orders/", {"address": address.id, "pay_method": 1, "total_amount": "0.01"}, format="json"
    )

    assert response.status_code == 201
    order = OrderInfo.objects.get(order_id=response.json()["order_id"])
    assert order.total_amount >= Decimal("100.00")
    assert order.user == buyer
