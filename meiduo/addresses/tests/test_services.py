"""Service tests of addresses: nesting rules, the limit under concurrency, default bookkeeping."""

from typing import Any

import pytest

from meiduo.addresses import services
from meiduo.addresses.models import Address
from meiduo.addresses.selectors import address_get, address_list
from meiduo.addresses.tests.factories import AddressFactory, ShopperFactory
from meiduo.core.errors import FieldError, NotFoundError, ServiceError
from meiduo.users.models import User
from tests.support import run_together

NANSHAN: dict[str, Any] = {
    "receiver": "张三",
    "province_id": 44,
    "city_id": 4403,
    "district_id": 440305,
    "place": "科技园",
    "mobile": "13800138000",
}


def test_create_in_a_municipality(shopper: User) -> None:
    address = services.address_create(
        user=shopper, **{**NANSHAN, "province_id": 50, "city_id": 5002, "district_id": 500229}
    )
    assert (address.province.name, address.city.name, address.district.name) == ("重庆市", "县", "城口县")


def test_create_in_a_city_without_counties(shopper: User) -> None:
    address = services.address_create(
        user=shopper, **{**NANSHAN, "province_id": 44, "city_id": 4419, "district_id": 441900003}
    )
    assert address.district.name == "东城街道"


def test_first_address_is_default_later_ones_are_not(shopper: User) -> None:
    first = services.address_create(user=shopper, **NANSHAN)
    services.address_create(user=shopper, **NANSHAN)
    shopper.refresh_from_db()
    assert shopper.default_address_id == first.pk


def test_nesting_errors_name_the_field(shopper: User) -> None:
    with pytest.raises(FieldError) as error:
        services.address_create(user=shopper, **{**NANSHAN, "district_id": 440106})  # 天河区 is in 广州市
    assert error.value.field == "district_id"


def test_limit_is_a_business_rule(shopper: User) -> None:
    AddressFactory.create_batch(services.ADDRESS_LIMIT, user=shopper)
    with pytest.raises(ServiceError):
        services.address_create(user=shopper, **NANSHAN)


def test_default_survives_only_while_live(shopper: User) -> None:
    address = services.address_create(user=shopper, **NANSHAN)
    services.address_delete(user=shopper, address_id=address.pk)
    shopper.refresh_from_db()
    assert shopper.default_address_id is None
    with pytest.raises(NotFoundError):
        services.address_set_default(user=shopper, address_id=address.pk)
    with pytest.raises(NotFoundError):
        address_get(user=shopper, address_id=address.pk)
    assert list(address_list(user=shopper)) == []


def test_update_keeps_title_when_none_given(shopper: User) -> None:
    address = services.address_create(user=shopper, title="公司", **NANSHAN)
    updated = services.address_update(user=shopper, address_id=address.pk, **{**NANSHAN, "receiver": "李四"})
    assert (updated.title, updated.receiver) == ("公司", "李四")


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_never_pass_the_limit(division_tree: None) -> None:
    shopper = ShopperFactory.create()
    AddressFactory.create_batch(services.ADDRESS_LIMIT - 1, user=shopper)
    outcomes = run_together([lambda: services.address_create(user=shopper, **NANSHAN) for _ in range(6)])
    results = ["refused" if isinstance(outcome, ServiceError) else "created" for outcome in outcomes]
    assert sorted(results) == ["created"] + ["refused"] * 5
    assert Address.objects.filter(user=shopper, is_deleted=False).count() == services.ADDRESS_LIMIT
