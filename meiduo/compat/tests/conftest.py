"""Compat fixtures: the catalog of the goods tests and the buyers, SKUs and carts of the order tests."""

from meiduo.goods.tests.conftest import phone_catalog
from meiduo.orders.tests.conftest import address, buyer, buyer_api, make_buyer, nanshan, phone

__all__ = ["address", "buyer", "buyer_api", "make_buyer", "nanshan", "phone", "phone_catalog"]
