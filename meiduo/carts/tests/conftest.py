"""Fixtures of the cart tests: on-sale and off-sale SKUs, a shopper and their signed-in client."""

import pytest
from rest_framework.test import APIClient

from meiduo.goods.models import SKU
from meiduo.goods.tests.factories import SKUFactory
from meiduo.users.models import User


@pytest.fixture
def sku(db: None) -> SKU:
    """An on-sale SKU at 100.00 with 10 in stock."""
    return SKUFactory.create(stock=10)


@pytest.fixture
def other_sku(db: None) -> SKU:
    """Another on-sale SKU at 59.90 with 3 in stock."""
    return SKUFactory.create(stock=3, price="59.90")


@pytest.fixture
def off_sale_sku(db: None) -> SKU:
    """An SKU taken off sale."""
    return SKUFactory.create(stock=10, is_launched=False)


@pytest.fixture
def shopper(db: None) -> User:
    """A shopper whose password is `password123`."""
    return User.objects.create_user(username="buyer01", password="password123", mobile="13800000001")


@pytest.fixture
def shopper_api(shopper: User) -> APIClient:
    """The shopper's client (authenticated without a token)."""
    client = APIClient()
    client.force_authenticate(shopper)
    return client
