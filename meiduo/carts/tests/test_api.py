"""API tests of carts/ (and the cart/ alias): anonymous cookie carts, database carts, the merge at login."""

import base64
import json
import re
from collections.abc import Callable
from contextlib import nullcontext

import pytest
import requests
from django.core import signing
from django.http import HttpResponse
from django.test import override_settings
from rest_framework.test import APIClient

from meiduo.carts.models import CartLine
from meiduo.carts.stores import COOKIE_NAME, COOKIE_SALT
from meiduo.core import sql
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.users.models import User

pytestmark = pytest.mark.django_db

CARTS = "/api/v1/carts/"


def cookie_value(client: APIClient) -> str:
    return client.cookies[COOKIE_NAME].value


def signed_cookie(payload: str, *, salt: str = COOKIE_SALT, secret: str | None = None) -> str:
    """A cart token (cookie value) signed by Django (optionally with another salt or another site's secret key)."""
    with override_settings(SECRET_KEY=secret) if secret else nullcontext():
        return signing.dumps(payload, salt=salt, compress=True)


def legacy_signed_cookie(payload: str) -> str:
    """A cart cookie in the format written before tokens: the JSON text signed by set_signed_cookie."""
    response = HttpResponse()
    response.set_signed_cookie(COOKIE_NAME, payload, salt=COOKIE_SALT)
    return response.cookies[COOKIE_NAME].value


def cookie_payload(value: str) -> str:
    """What a cart token says, checked the way the shop checks it."""
    return str(signing.loads(value, salt=COOKIE_SALT))


# --- anonymous cart -----------------------------------------------------------------------------


def test_anonymous_add_sets_a_signed_httponly_cookie_and_lists_the_line(api: APIClient, sku: SKU) -> None:
    response = api.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json")
    assert response.status_code == 201
    assert response.json() == {"sku_id": sku.id, "count": 2, "selected": True}
    morsel = response.cookies[COOKIE_NAME]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"
    assert json.loads(cookie_payload(morsel.value)) == {str(sku.id): [2, 1]}

    listed = api.get(CARTS)
    assert listed.status_code == 200
    assert listed.json() == [
        {
            "id": sku.id,
            "name": sku.name,
            "default_image_url": f"/media/{sku.default_image.name}",
            "price": "100.00",
            "count": 2,
            "selected": True,
        }
    ]
    assert CartLine.objects.count() == 0


def test_adding_the_same_sku_adds_to_its_count(api: APIClient, sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json")
    response = api.post(CARTS, {"sku_id": sku.id, "count": 3, "selected": False}, format="json")
    assert response.status_code == 201
    assert response.json() == {"sku_id": sku.id, "count": 5, "selected": False}
    assert [line["count"] for line in api.get(CARTS).json()] == [5]


def test_list_shows_the_current_price(api: APIClient, sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    SKU.objects.filter(pk=sku.pk).update(price="88.80")
    assert api.get(CARTS).json()[0]["price"] == "88.80"


@pytest.mark.parametrize("count", [0, -1, 1.5, "1.5", "abc", "", None])
def test_bad_counts_are_400_and_change_nothing(api: APIClient, sku: SKU, count: object) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    before = cookie_value(api)
    response = api.post(CARTS, {"sku_id": sku.id, "count": count}, format="json")
    assert response.status_code == 400
    assert "count" in response.json()
    assert COOKIE_NAME not in response.cookies
    assert cookie_value(api) == before
    assert api.get(CARTS).json()[0]["count"] == 1


def test_total_past_stock_is_400_naming_the_stock(api: APIClient, sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 8}, format="json")
    response = api.post(CARTS, {"sku_id": sku.id, "count": 3}, format="json")
    assert response.status_code == 400
    assert "10" in response.json()["message"]
    assert sku.name in response.json()["message"]
    assert api.get(CARTS).json()[0]["count"] == 8
    assert api.post(CARTS, {"sku_id": sku.id, "count": 11}, format="json").status_code == 400


def test_unknown_and_off_sale_skus_are_400(api: APIClient, off_sale_sku: SKU) -> None:
    unknown = api.post(CARTS, {"sku_id": 999999, "count": 1}, format="json")
    assert unknown.status_code == 400
    assert "sku_id" in unknown.json()
    off_sale = api.post(CARTS, {"sku_id": off_sale_sku.id, "count": 1}, format="json")
    assert off_sale.status_code == 400
    assert "sku_id" in off_sale.json()
    assert api.put(CARTS, {"sku_id": off_sale_sku.id, "count": 1, "selected": True}, format="json").status_code == 400
    assert api.get(CARTS).json() == []


def test_put_sets_count_and_selection(api: APIClient, sku: SKU, other_sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    response = api.put(CARTS, {"sku_id": sku.id, "count": 7, "selected": False}, format="json")
    assert response.status_code == 200
    assert response.json() == {"sku_id": sku.id, "count": 7, "selected": False}
    assert api.put(CARTS, {"sku_id": sku.id, "count": 11, "selected": True}, format="json").status_code == 400
    assert api.put(CARTS, {"sku_id": sku.id, "count": 0, "selected": True}, format="json").status_code == 400
    assert [(line["count"], line["selected"]) for line in api.get(CARTS).json()] == [(7, False)]


def test_delete_removes_the_line_and_the_last_one_drops_the_cookie(api: APIClient, sku: SKU, other_sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    api.post(CARTS, {"sku_id": other_sku.id, "count": 1}, format="json")
    assert api.delete(CARTS, {"sku_id": sku.id}, format="json").status_code == 204
    assert [line["id"] for line in api.get(CARTS).json()] == [other_sku.id]
    response = api.delete(CARTS, {"sku_id": other_sku.id}, format="json")
    assert response.status_code == 204
    assert response.cookies[COOKIE_NAME]["max-age"] == 0
    assert api.get(CARTS).json() == []
    assert api.delete(CARTS, {"sku_id": "x"}, format="json").status_code == 400


def test_selection_and_simple_list(api: APIClient, sku: SKU, other_sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    api.post(CARTS, {"sku_id": other_sku.id, "count": 2}, format="json")
    response = api.put(CARTS + "selection/", {"selected": False}, format="json")
    assert response.status_code == 200
    assert response.json() == {"message": "OK"}
    assert [line["selected"] for line in api.get(CARTS).json()] == [False, False]
    assert api.put(CARTS + "selection/", {}, format="json").status_code == 400
    simple = api.get(CARTS + "simple/").json()
    assert simple == [
        {"id": sku.id, "name": sku.name, "count": 1, "default_image_url": f"/media/{sku.default_image.name}"},
        {
            "id": other_sku.id,
            "name": other_sku.name,
            "count": 2,
            "default_image_url": f"/media/{other_sku.default_image.name}",
        },
    ]


def test_cart_alias(api: APIClient, sku: SKU) -> None:
    assert api.post("/api/v1/cart/", {"sku_id": sku.id, "count": 1}, format="json").status_code == 201
    assert api.get("/api/v1/cart/").json()[0]["id"] == sku.id
    assert api.get("/api/v1/cart/simple/").json()[0]["id"] == sku.id


@pytest.mark.parametrize(
    ("payload", "salt", "secret"),
    [
        ('{"ID":[2,1]}', "another.salt", None),  # signed for another purpose
        ('{"ID":[2,1]}', COOKIE_SALT, "a-foreign-site-secret-key"),  # signed by another site
        ("not json", COOKIE_SALT, None),
        ('{"ID":[0,1]}', COOKIE_SALT, None),
        ('{"ID":[2.5,1]}', COOKIE_SALT, None),
        ('{"x":[2,1]}', COOKIE_SALT, None),
        ('[["ID",2]]', COOKIE_SALT, None),
        ('{"ID":[2,"yes"]}', COOKIE_SALT, None),
        ('{"ID":[2,1,0]}', COOKIE_SALT, None),
    ],
)
def test_foreign_or_malformed_cookie_is_an_empty_cart(
    api: APIClient, sku: SKU, payload: str, salt: str, secret: str | None
) -> None:
    api.cookies[COOKIE_NAME] = signed_cookie(payload.replace("ID", str(sku.id)), salt=salt, secret=secret)
    assert api.get(CARTS).json() == []
    response = api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    assert response.status_code == 201
    assert response.json()["count"] == 1


def test_tampered_cookie_is_an_empty_cart(api: APIClient, sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    value = cookie_value(api)
    assert json.loads(cookie_payload(value)) == {str(sku.id): [1, 1]}
    # The same signature over other lines: 9 instead of 1 (the payload is URL-safe base64 of the JSON text).
    forged = base64.urlsafe_b64encode(json.dumps(f'{{"{sku.id}":[9,1]}}').encode()).rstrip(b"=").decode()
    api.cookies[COOKIE_NAME] = forged + value[value.index(":") :]
    assert api.get(CARTS).json() == []
    api.cookies[COOKIE_NAME] = "garbage"
    assert api.get(CARTS).json() == []


def test_the_shop_trusts_its_own_signed_cookie(api: APIClient, sku: SKU) -> None:
    api.cookies[COOKIE_NAME] = signed_cookie(f'{{"{sku.id}":[3,0]}}')
    assert [(line["count"], line["selected"]) for line in api.get(CARTS).json()] == [(3, False)]


@override_settings(CART_COOKIE_MAX_LINES=1)
def test_a_cookie_with_more_lines_than_allowed_is_an_empty_cart(api: APIClient, sku: SKU, other_sku: SKU) -> None:
    api.cookies[COOKIE_NAME] = signed_cookie(f'{{"{sku.id}":[1,1],"{other_sku.id}":[1,1]}}')
    assert api.get(CARTS).json() == []


@override_settings(CART_COOKIE_MAX_LINES=2)
def test_cookie_cart_is_size_limited(api: APIClient) -> None:
    skus = SKUFactory.create_batch(3)
    assert api.post(CARTS, {"sku_id": skus[0].id, "count": 1}, format="json").status_code == 201
    assert api.post(CARTS, {"sku_id": skus[1].id, "count": 1}, format="json").status_code == 201
    full = api.post(CARTS, {"sku_id": skus[2].id, "count": 1}, format="json")
    assert full.status_code == 400
    assert "message" in full.json()
    assert api.post(CARTS, {"sku_id": skus[1].id, "count": 1}, format="json").status_code == 201
    assert [line["id"] for line in api.get(CARTS).json()] == [skus[0].id, skus[1].id]


def test_a_bad_token_falls_back_to_the_cookie_cart(api: APIClient, sku: SKU) -> None:
    api.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    assert api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json").status_code == 201
    assert api.get(CARTS).json()[0]["count"] == 1


def test_a_deleted_sku_drops_out_of_the_cookie_cart(api: APIClient, sku: SKU, other_sku: SKU) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    api.post(CARTS, {"sku_id": other_sku.id, "count": 1}, format="json")
    other_sku.delete()
    assert [line["id"] for line in api.get(CARTS).json()] == [sku.id]


# --- signed-in cart -----------------------------------------------------------------------------


@pytest.fixture(params=["upsert", "in steps"])
def add_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a line is added: one upsert (SQLite, PostgreSQL) and update-or-insert (databases without one)."""
    if request.param == "in steps":
        monkeypatch.setattr(sql, "upserts", lambda **kwargs: False)
    return str(request.param)


@pytest.mark.usefixtures("add_path")
def test_signed_in_cart_lives_in_the_database(shopper_api: APIClient, shopper: User, sku: SKU, other_sku: SKU) -> None:
    assert shopper_api.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json").status_code == 201
    response = shopper_api.post(CARTS, {"sku_id": sku.id, "count": 3}, format="json")
    assert response.json() == {"sku_id": sku.id, "count": 5, "selected": True}
    assert COOKIE_NAME not in response.cookies
    shopper_api.post(CARTS, {"sku_id": other_sku.id, "count": 1, "selected": False}, format="json")
    assert list(CartLine.objects.filter(user=shopper).values_list("sku_id", "count", "selected")) == [
        (sku.id, 5, True),
        (other_sku.id, 1, False),
    ]
    body = shopper_api.get(CARTS).json()
    assert [(line["id"], line["count"], line["selected"], line["price"]) for line in body] == [
        (sku.id, 5, True, "100.00"),
        (other_sku.id, 1, False, "59.90"),
    ]


@pytest.mark.usefixtures("add_path")
def test_signed_in_cart_rules(shopper_api: APIClient, shopper: User, sku: SKU, off_sale_sku: SKU) -> None:
    shopper_api.post(CARTS, {"sku_id": sku.id, "count": 9}, format="json")
    assert shopper_api.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json").status_code == 400
    assert shopper_api.post(CARTS, {"sku_id": sku.id, "count": -2}, format="json").status_code == 400
    assert shopper_api.post(CARTS, {"sku_id": off_sale_sku.id, "count": 1}, format="json").status_code == 400
    assert shopper_api.post(CARTS, {"sku_id": 999999, "count": 1}, format="json").status_code == 400
    assert CartLine.objects.get(user=shopper).count == 9
    put = shopper_api.put(CARTS, {"sku_id": sku.id, "count": 4, "selected": False}, format="json")
    assert put.json() == {"sku_id": sku.id, "count": 4, "selected": False}
    assert shopper_api.put(CARTS + "selection/", {"selected": True}, format="json").status_code == 200
    assert CartLine.objects.get(user=shopper).selected is True
    assert shopper_api.delete(CARTS, {"sku_id": sku.id}, format="json").status_code == 204
    assert not CartLine.objects.filter(user=shopper).exists()


@pytest.mark.skipif(
    not sql.upserts(), reason="pins the upsert; MySQL / MariaDB keep the ORM steps (tested above with upserts off)"
)
def test_signed_in_add_checks_the_sku_and_writes_the_line_in_one_statement(
    shopper_api: APIClient, shopper: User, sku: SKU, django_assert_num_queries: Callable[[int], object]
) -> None:
    # New line, added, too many (refused: the SKU is read to say why, and the checked add tried), added.
    for count, status, total, statements in [(2, 201, 2, 1), (3, 201, 5, 1), (6, 400, 5, 3), (5, 201, 10, 1)]:
        with django_assert_num_queries(statements):  # type: ignore[attr-defined]
            response = shopper_api.post(CARTS, {"sku_id": sku.id, "count": count}, format="json")
        assert response.status_code == status
        assert CartLine.objects.get(user=shopper).count == total


def test_signed_in_list_is_two_queries_at_most(
    shopper_api: APIClient, sku: SKU, django_assert_max_num_queries: object
) -> None:
    for item in [sku, *SKUFactory.create_batch(5)]:
        shopper_api.post(CARTS, {"sku_id": item.id, "count": 1}, format="json")
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        assert len(shopper_api.get(CARTS).json()) == 6


# --- merge at login -------------------------------------------------------------------------------


def login(client: APIClient) -> dict[str, object]:
    response = client.post("/api/v1/authorizations/", {"username": "buyer01", "password": "password123"}, format="json")
    assert response.status_code == 200, response.content
    assert response.cookies[COOKIE_NAME]["max-age"] == 0  # the cookie is cleared
    return dict(response.json())


def test_login_merges_the_cookie_cart_the_cookie_winning(
    api: APIClient, shopper: User, sku: SKU, other_sku: SKU, off_sale_sku: SKU
) -> None:
    third = SKUFactory.create(stock=5)
    CartLine.objects.create(user=shopper, sku=sku, count=5, selected=True)
    CartLine.objects.create(user=shopper, sku=third, count=1, selected=True)
    api.post(CARTS, {"sku_id": sku.id, "count": 2, "selected": False}, format="json")
    api.post(CARTS, {"sku_id": other_sku.id, "count": 3}, format="json")
    api.post(CARTS, {"sku_id": off_sale_sku.id, "count": 1}, format="json")  # rejected, never in the cookie

    body = login(api)

    lines = set(CartLine.objects.filter(user=shopper).values_list("sku_id", "count", "selected"))
    assert lines == {(sku.id, 2, False), (other_sku.id, 3, True), (third.id, 1, True)}
    api.credentials(HTTP_AUTHORIZATION=f"JWT {body['token']}")
    assert {line["id"] for line in api.get(CARTS).json()} == {sku.id, other_sku.id, third.id}
    assert api.cookies[COOKIE_NAME].value == ""


def test_merge_lowers_counts_to_stock_and_drops_what_is_off_sale(
    api: APIClient, shopper: User, sku: SKU, other_sku: SKU
) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 9}, format="json")
    api.post(CARTS, {"sku_id": other_sku.id, "count": 1}, format="json")
    SKU.objects.filter(pk=sku.pk).update(stock=4)
    SKU.objects.filter(pk=other_sku.pk).update(is_launched=False)
    login(api)
    assert list(CartLine.objects.filter(user=shopper).values_list("sku_id", "count")) == [(sku.id, 4)]


def test_login_with_a_tampered_cookie_merges_nothing(api: APIClient, shopper: User, sku: SKU) -> None:
    api.cookies[COOKIE_NAME] = f'{{"{sku.id}":[3,1]}}:forged:signature'
    login(api)
    assert not CartLine.objects.filter(user=shopper).exists()


def test_login_without_a_cookie_keeps_the_user_cart(api: APIClient, shopper: User, sku: SKU) -> None:
    CartLine.objects.create(user=shopper, sku=sku, count=2)
    login(api)
    assert list(CartLine.objects.filter(user=shopper).values_list("sku_id", "count")) == [(sku.id, 2)]


def test_registering_keeps_what_the_visitor_put_in_the_cart(
    api: APIClient, sku: SKU, sms_code: Callable[[str], str]
) -> None:
    api.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json")
    body = {
        "username": "newbuyer01",
        "password": "Meiduo-2026!",
        "password2": "Meiduo-2026!",
        "mobile": "13800138111",
        "sms_code": sms_code("13800138111"),
        "allow": "true",
    }
    response = api.post("/api/v1/users/", body, format="json")
    assert response.status_code == 201
    assert response.cookies[COOKIE_NAME]["max-age"] == 0  # the cookie is cleared
    api.credentials(HTTP_AUTHORIZATION=f"JWT {response.json()['token']}")
    assert [(line["id"], line["count"]) for line in api.get(CARTS).json()] == [(sku.id, 2)]


def test_cart_messages_are_chinese_by_default(api: APIClient, other_sku: SKU) -> None:
    response = api.post(CARTS, {"sku_id": other_sku.id, "count": 4}, format="json")
    assert response.json() == {
        "message": f"“{other_sku.name}”库存仅剩 3 件。",
        "code": "stock_short",
        "sku_id": other_sku.id,
    }
    english = api.post(CARTS, {"sku_id": other_sku.id, "count": 4}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == f"Only 3 of “{other_sku.name}” left in stock."


def test_ids_and_counts_beyond_the_database_range_are_400(shopper_api: APIClient, sku: SKU) -> None:
    huge = 10**20
    assert shopper_api.post(CARTS, {"sku_id": huge, "count": 1}, format="json").status_code == 400
    assert shopper_api.post(CARTS, {"sku_id": sku.id, "count": huge}, format="json").status_code == 400
    assert shopper_api.put(CARTS, {"sku_id": sku.id, "count": huge, "selected": True}, format="json").status_code == 400
    assert shopper_api.delete(CARTS, {"sku_id": huge}, format="json").status_code == 400


# --- the token: cookie-safe for every HTTP client, or carried in a header -----------------------------------


def test_the_cookie_value_is_cookie_safe(api: APIClient, sku: SKU) -> None:
    """RFC 6265 cookie-octets only: no quotes, escapes, commas, semicolons or spaces that clients rewrite."""
    api.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json")
    assert re.fullmatch(r"[A-Za-z0-9_\-:.]+", cookie_value(api))


@pytest.mark.django_db(transaction=True)
def test_an_rfc_6265_client_keeps_its_guest_cart(live_server, sku: SKU) -> None:
    """python-requests (like many mobile HTTP stacks) sends the cookie back as RFC 6265 says."""
    browser = requests.Session()
    added = browser.post(f"{live_server.url}{CARTS}", json={"sku_id": sku.id, "count": 2}, timeout=10)
    assert added.status_code == 201
    listed = browser.get(f"{live_server.url}{CARTS}", timeout=10)
    assert [(line["id"], line["count"]) for line in listed.json()] == [(sku.id, 2)]


def test_a_cart_cookie_of_the_old_format_is_read_once_and_rewritten(api: APIClient, sku: SKU) -> None:
    api.cookies[COOKIE_NAME] = legacy_signed_cookie(f'{{"{sku.id}":[3,1]}}')
    listed = api.get(CARTS)
    assert [(line["id"], line["count"]) for line in listed.json()] == [(sku.id, 3)]
    api.post(CARTS, {"sku_id": sku.id, "count": 1}, format="json")
    assert json.loads(cookie_payload(cookie_value(api))) == {str(sku.id): [4, 1]}


def test_a_client_without_cookies_carries_the_cart_in_a_header(sku: SKU, other_sku: SKU) -> None:
    app = APIClient()
    added = app.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json")
    token = added["X-Cart-Token"]
    assert json.loads(cookie_payload(token)) == {str(sku.id): [2, 1]}
    app.cookies.clear()  # the app keeps no cookies: only the header
    more = app.post(CARTS, {"sku_id": other_sku.id, "count": 1}, format="json", HTTP_X_CART_TOKEN=token)
    token = more["X-Cart-Token"]
    app.cookies.clear()
    listed = app.get(CARTS, HTTP_X_CART_TOKEN=token)
    assert [(line["id"], line["count"]) for line in listed.json()] == [(sku.id, 2), (other_sku.id, 1)]


def test_a_tampered_header_token_is_an_empty_cart(api: APIClient, sku: SKU) -> None:
    token = api.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json")["X-Cart-Token"]
    api.cookies.clear()
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert api.get(CARTS, HTTP_X_CART_TOKEN=tampered).json() == []


def test_logging_in_merges_the_header_cart(sku: SKU) -> None:
    user = User.objects.create_user(username="app_user", password="Meiduo-2026!", mobile="13700137999")
    app = APIClient()
    token = app.post(CARTS, {"sku_id": sku.id, "count": 2}, format="json")["X-Cart-Token"]
    app.cookies.clear()
    body = {"username": "app_user", "password": "Meiduo-2026!"}
    assert app.post("/api/v1/authorizations/", body, format="json", HTTP_X_CART_TOKEN=token).status_code == 200
    assert list(CartLine.objects.filter(user=user).values_list("sku_id", "count")) == [(sku.id, 2)]
