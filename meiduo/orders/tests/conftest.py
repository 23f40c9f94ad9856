"""Fixtures of the order tests: buyers with an address and a filled cart, SKUs, and helpers to place orders."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from meiduo.addresses.models import Address
from meiduo.areas.models import Area
from meiduo.carts.models import CartLine
from meiduo.core import sql
from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.users.models import User

Buyer = Callable[..., User]


@pytest.fixture(params=["upserts", "without upserts"])
def write_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a placement writes: fixed statements with ON CONFLICT and RETURNING (SQLite, PostgreSQL), and
    the ORM steps databases without them (MySQL) take."""
    if request.param == "without upserts":
        monkeypatch.setattr(sql, "upserts", lambda **kwargs: False)
    return str(request.param)


@pytest.fixture
def nanshan(db: None) -> Area:
    """广东省 深圳市 南山区 (created if a transactional test flushed the division tree)."""
    province, _ = Area.objects.get_or_create(id=44, defaults={"name": "广东省"})
    city, _ = Area.objects.get_or_create(id=4403, defaults={"name": "深圳市", "parent": province})
    district, _ = Area.objects.get_or_create(id=440305, defaults={"name": "南山区", "parent": city})
    return district


@pytest.fixture
def make_buyer(nanshan: Area) -> Buyer:
    """`make_buyer(name)`: a shopper (password `password123`) with one address in 南山区."""
    created: list[User] = []

    def make(name: str | None = None) -> User:
        number = len(created) + 1
        user = User.objects.create_user(
            username=name or f"buyer{number:03d}", password="password123", mobile=f"1390000{number:04d}"
        )
        Address.objects.create(
            user=user,
            title="家",
            receiver=f"收货人{number}",
            province_id=44,
            city_id=4403,
            district=nanshan,
            place="科技园南区 1 号",
            mobile="13800138000",
        )
        created.append(user)
        return user

    return make


@pytest.fixture
def buyer(make_buyer: Buyer) -> User:
    return make_buyer("buyer")


@pytest.fixture
def address(buyer: User) -> Address:
    return buyer.addresses.get()


@pytest.fixture
def buyer_api(buyer: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(buyer)
    return client


@pytest.fixture
def phone(db: None) -> SKU:
    """100.00 each, 10 in stock."""
    return SKUFactory.create(stock=10, price=Decimal("100.00"))


@pytest.fixture
def case(db: None) -> SKU:
    """59.90 each, 5 in stock."""
    return SKUFactory.create(stock=5, price=Decimal("59.90"))


def fill_cart(user: User, *lines: tuple[SKU, int], selected: bool = True) -> None:
    """Put lines straight into the user's database cart."""
    for sku, count in lines:
        CartLine.objects.create(user=user, sku=sku, count=count, selected=selected)


def place(client: APIClient, address: Address, pay_method: int = 1, **extra: object) -> str:
    """POST orders/ and return the new order id (asserting it was placed)."""
    response = client.post("/api/v1/orders/", {"address": address.id, "pay_method": pay_method, **extra}, format="json")
    assert response.status_code == 201, response.content
    return str(response.json()["order_id"])
