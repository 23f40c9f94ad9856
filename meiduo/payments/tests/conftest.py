"""Fixtures of the payment tests: throwaway RSA keys, a fake Alipay on loopback, orders to pay."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.utils import timezone
from rest_framework.test import APIClient

from meiduo.addresses.tests.factories import ShopperFactory
from meiduo.orders.models import OrderInfo
from meiduo.payments.keys import private_key_pem, public_key_pem
from meiduo.payments.tests.fake_alipay import FakeAlipay, running
from meiduo.users.models import User

APP_ID = "2021000117600001"
_order_numbers = count(1)


@dataclass(frozen=True)
class Keys:
    """Throwaway keys of one test run: the shop's app key, the fake Alipay's key, and a stranger's key."""

    shop: RSAPrivateKey
    alipay: RSAPrivateKey
    stranger: RSAPrivateKey


@pytest.fixture(scope="session")
def keys() -> Keys:
    def new() -> RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    return Keys(shop=new(), alipay=new(), stranger=new())


@pytest.fixture(scope="session")
def alipay_server(keys: Keys) -> Iterator[FakeAlipay]:
    """One fake Alipay on loopback for the whole run."""
    with running(FakeAlipay(app_id=APP_ID, shop_public_key=keys.shop.public_key(), private_key=keys.alipay)) as fake:
        yield fake


@pytest.fixture
def fake_alipay(alipay_server: FakeAlipay, keys: Keys, settings) -> FakeAlipay:
    """The fake Alipay with no trades yet, and the shop configured for it (PAYMENT_GATEWAY=alipay, inline keys)."""
    alipay_server.reset()
    settings.PAYMENT_GATEWAY = "alipay"
    settings.ALIPAY_APP_ID = APP_ID
    settings.ALIPAY_APP_PRIVATE_KEY = private_key_pem(keys.shop)
    settings.ALIPAY_APP_PRIVATE_KEY_FILE = ""
    settings.ALIPAY_PUBLIC_KEY = public_key_pem(keys.alipay.public_key())
    settings.ALIPAY_PUBLIC_KEY_FILE = ""
    settings.ALIPAY_GATEWAY_URL = alipay_server.url
    settings.PAYMENT_GATEWAY_TIMEOUT = 5
    return alipay_server


@pytest.fixture
def buyer(db: None) -> User:
    return ShopperFactory.create()


@pytest.fixture
def buyer_api(buyer: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(buyer)
    return client


MakeOrder = Callable[..., OrderInfo]


@pytest.fixture
def make_order(db: None) -> MakeOrder:
    """`make_order(user, total_amount=..., pay_method=..., status=..., age=...)`: an order as placement leaves it."""

    def make(
        user: User,
        *,
        total_amount: str = "3398.00",
        freight: str = "10.00",
        pay_method: int = OrderInfo.PayMethod.ALIPAY,
        status: int = OrderInfo.Status.UNPAID,
        age: timedelta = timedelta(0),
    ) -> OrderInfo:
        order_id = timezone.localtime().strftime("%Y%m%d%H%M%S") + f"{user.pk:09d}" + f"{next(_order_numbers):02d}"
        order = OrderInfo.objects.create(
            order_id=order_id,
            user=user,
            receiver="张三",
            province="广东省",
            city="深圳市",
            district="南山区",
            place="科技园南区 1 号",
            mobile="13800138000",
            total_count=1,
            total_amount=Decimal(total_amount),
            freight=Decimal(freight),
            pay_method=pay_method,
            status=status,
        )
        if age:
            OrderInfo.objects.filter(order_id=order_id).update(create_time=timezone.now() - age)
            order.refresh_from_db()
        return order

    return make


@pytest.fixture
def order(buyer: User, make_order: MakeOrder) -> OrderInfo:
    """The buyer's unpaid Alipay order of 3398.00 (goods 3388.00 + freight 10.00)."""
    return make_order(buyer)


def status_of(order: OrderInfo) -> int:
    """The order's status as stored now."""
    return OrderInfo.objects.values_list("status", flat=True).get(order_id=order.order_id)
