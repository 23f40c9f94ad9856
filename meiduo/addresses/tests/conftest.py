"""Fixtures of the address tests: a signed-in shopper, a stranger, and the area tree."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from meiduo.addresses.tests.factories import ShopperFactory
from meiduo.areas.tests.conftest import division_tree
from meiduo.users.models import User

__all__ = ["division_tree"]


def signed_in(user: User) -> APIClient:
    """An API client that sends the user's access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def shopper(division_tree: None) -> User:
    """A shopper with no address yet."""
    return ShopperFactory.create()


@pytest.fixture
def me_api(shopper: User) -> APIClient:
    """The shopper's signed-in API client."""
    return signed_in(shopper)


@pytest.fixture
def stranger(division_tree: None) -> User:
    """Another shopper."""
    return ShopperFactory.create()
