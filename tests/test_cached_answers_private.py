"""A cached answer never leaks a private one: through the shop's WSGI application (memory tier, write tier, Django), two
shoppers and an anonymous visitor each get their own cart, favourites, orders and history, however the
requests interleave with cached catalog answers fetched with and without their tokens."""

import json
from decimal import Decimal
from http.cookies import SimpleCookie
from typing import Any

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from config.wsgi import application as shop_application
from config.wsgi import django_application
from meiduo.core.fronttier import FrontCache
from meiduo.core.frontwrite import FrontWrites
from meiduo.goods.tests.factories import SKUFactory
from meiduo.orders.tests.conftest import Buyer, make_buyer, nanshan  # noqa: F401 - fixtures
from meiduo.users.models import User
from tests.support import WSGIAnswer, wsgi_call

pytestmark = pytest.mark.django_db

PRIVATE = ["/api/v1/carts/", "/api/v1/favorites/", "/api/v1/orders/", "/api/v1/browse_histories/"]


class Shopper:
    """One browser: its token (if signed in) and the cookies the shop set."""

    def __init__(self, application: FrontCache, user: User | None = None) -> None:
        self.application = application
        self.headers = {"Authorization": f"JWT {AccessToken.for_user(user)}"} if user else {}
        self.cookies: dict[str, str] = {}

    def call(self, path: str, method: str = "GET", body: dict[str, Any] | None = None) -> WSGIAnswer:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        extra: dict[str, Any] = {}
        if body is not None:
            extra = {"data": json.dumps(body), "content_type": "application/json"}
        answer = wsgi_call(self.application, path, method=method, headers=headers, **extra)
        for name, value in answer.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return answer


def _ids(answer: WSGIAnswer) -> list[int]:
    body = answer.json()
    items = body["results"] if isinstance(body, dict) else body
    return sorted(item["skus"][0]["id"] if "skus" in item else item["id"] for item in items)


def test_two_shoppers_and_a_visitor_each_get_their_own_answers(make_buyer: Buyer):  # noqa: F811 - fixture
    alice_sku = SKUFactory.create(stock=10, price=Decimal("100.00"))
    bob_sku = SKUFactory.create(stock=10, price=Decimal("200.00"))
    visitor_sku = SKUFactory.create(stock=10, price=Decimal("300.00"))
    alice_user, bob_user = make_buyer("alice"), make_buyer("bob")
    application = FrontCache(FrontWrites(django_application), routes=shop_application.routes)  # a fresh web worker
    alice, bob, visitor = Shopper(application, alice_user), Shopper(application, bob_user), Shopper(application)

    for shopper, user, sku in ((alice, alice_user, alice_sku), (bob, bob_user, bob_sku)):
        assert shopper.call(f"/api/v1/skus/{sku.id}/").status == 200  # cached with this token
        assert shopper.call("/api/v1/carts/", "POST", {"sku_id": sku.id, "count": 1}).status == 201
        assert (
            shopper.call("/api/v1/orders/", "POST", {"address": user.addresses.get().id, "pay_method": 1}).status == 201
        )
        assert shopper.call("/api/v1/carts/", "POST", {"sku_id": sku.id, "count": 2}).status == 201
        assert shopper.call("/api/v1/favorites/", "POST", {"sku_id": sku.id}).status in {200, 201}
        assert shopper.call("/api/v1/browse_histories/", "POST", {"sku_id": sku.id}).status == 201
    assert visitor.call("/api/v1/carts/", "POST", {"sku_id": visitor_sku.id, "count": 3}).status == 201

    for _round in range(2):  # the second round would be served from the memory tier if anything were kept
        for sku in (alice_sku, bob_sku, visitor_sku):
            for shopper in (alice, bob, visitor):
                assert shopper.call(f"/api/v1/skus/{sku.id}/").json()["id"] == sku.id
        for path in PRIVATE:
            assert _ids(alice.call(path)) == [alice_sku.id]
            assert _ids(bob.call(path)) == [bob_sku.id]
        assert [(line["id"], line["count"]) for line in alice.call("/api/v1/carts/").json()] == [(alice_sku.id, 2)]
        assert [(line["id"], line["count"]) for line in visitor.call("/api/v1/carts/").json()] == [(visitor_sku.id, 3)]
        assert _ids(visitor.call("/api/v1/carts/simple/")) == [visitor_sku.id]
        for path in ("/api/v1/favorites/", "/api/v1/orders/", "/api/v1/browse_histories/"):
            assert visitor.call(path).status == 401

    kept_paths = {key[0] for key in application._entries}
    assert kept_paths == {f"/api/v1/skus/{sku.id}/" for sku in (alice_sku, bob_sku, visitor_sku)}
    anonymous = wsgi_call(application, f"/api/v1/skus/{alice_sku.id}/")
    assert alice.call(f"/api/v1/skus/{alice_sku.id}/").body == anonymous.body
