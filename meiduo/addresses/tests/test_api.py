"""API tests of addresses/: create, list, edit, delete, default, title, validation and ownership."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from meiduo.addresses.models import Address
from meiduo.addresses.services import ADDRESS_LIMIT
from meiduo.addresses.tests.conftest import signed_in
from meiduo.addresses.tests.factories import AddressFactory
from meiduo.users.models import User

NANSHAN = {
    "title": "家",
    "receiver": "张三",
    "province_id": 44,
    "city_id": 4403,
    "district_id": 440305,
    "place": "科技园南区 1 号",
    "mobile": "13800138000",
    "tel": "0755-12345678",
    "email": "zhangsan@example.com",
}


def post(api: APIClient, **changes: Any) -> Any:
    return api.post("/api/v1/addresses/", {**NANSHAN, **changes}, format="json")


def test_create_returns_the_address_with_area_names(me_api: APIClient, shopper: User) -> None:
    response = post(me_api)
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "title": "家",
        "receiver": "张三",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "province_id": 44,
        "city_id": 4403,
        "district_id": 440305,
        "place": "科技园南区 1 号",
        "mobile": "13800138000",
        "tel": "0755-12345678",
        "email": "zhangsan@example.com",
    }
    assert Address.objects.get(pk=body["id"]).user == shopper


def test_optional_fields_and_default_title(me_api: APIClient) -> None:
    payload = {key: value for key, value in NANSHAN.items() if key not in ("title", "tel", "email")}
    response = me_api.post("/api/v1/addresses/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["title"] == "张三"
    assert response.json()["tel"] == ""
    assert response.json()["email"] == ""


def test_form_encoded_body_is_accepted(me_api: APIClient) -> None:
    assert me_api.post("/api/v1/addresses/", NANSHAN).status_code == 201


def test_first_address_becomes_default_and_list_shows_it(me_api: APIClient, shopper: User) -> None:
    first = post(me_api).json()
    second = post(me_api, title="公司", place="深南大道 100 号").json()
    body = me_api.get("/api/v1/addresses/").json()
    assert body["user_id"] == shopper.pk
    assert body["default_address_id"] == first["id"]
    assert body["limit"] == 20
    assert [a["id"] for a in body["addresses"]] == [first["id"], second["id"]]
    assert body["addresses"][1]["title"] == "公司"


def test_set_default(me_api: APIClient) -> None:
    post(me_api)
    second = post(me_api, title="公司").json()
    response = me_api.put(f"/api/v1/addresses/{second['id']}/status/")
    assert response.status_code == 200
    assert response.json() == {"message": "OK"}
    body = me_api.get("/api/v1/addresses/").json()
    assert body["default_address_id"] == second["id"]
    assert body["addresses"][0]["id"] == second["id"]


def test_update_replaces_fields(me_api: APIClient) -> None:
    address = post(me_api).json()
    changes = {**NANSHAN, "receiver": "李四", "province_id": 11, "city_id": 1101, "district_id": 110108, "tel": ""}
    response = me_api.put(f"/api/v1/addresses/{address['id']}/", changes, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["receiver"], body["province"], body["city"], body["district"]) == (
        "李四",
        "北京市",
        "市辖区",
        "海淀区",
    )
    assert body["tel"] == ""
    assert me_api.get(f"/api/v1/addresses/{address['id']}/").json() == body


def test_retitle(me_api: APIClient) -> None:
    address = post(me_api).json()
    response = me_api.put(f"/api/v1/addresses/{address['id']}/title/", {"title": "父母家"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"title": "父母家"}
    assert me_api.get(f"/api/v1/addresses/{address['id']}/").json()["title"] == "父母家"


def test_retitle_needs_a_title(me_api: APIClient) -> None:
    address = post(me_api).json()
    response = me_api.put(f"/api/v1/addresses/{address['id']}/title/", {"title": ""}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()


def test_delete_hides_but_keeps_and_clears_default(me_api: APIClient, shopper: User) -> None:
    first = post(me_api).json()
    second = post(me_api).json()
    assert me_api.delete(f"/api/v1/addresses/{first['id']}/").status_code == 204
    body = me_api.get("/api/v1/addresses/").json()
    assert [a["id"] for a in body["addresses"]] == [second["id"]]
    assert body["default_address_id"] is None
    kept = Address.objects.get(pk=first["id"])
    assert kept.is_deleted is True
    assert kept.receiver == "张三"
    shopper.refresh_from_db()
    assert shopper.default_address_id is None
    assert me_api.get(f"/api/v1/addresses/{first['id']}/").status_code == 404
    assert me_api.delete(f"/api/v1/addresses/{first['id']}/").status_code == 404
    assert me_api.put(f"/api/v1/addresses/{first['id']}/status/").status_code == 404


def test_deleting_another_address_keeps_the_default(me_api: APIClient) -> None:
    first = post(me_api).json()
    second = post(me_api).json()
    me_api.delete(f"/api/v1/addresses/{second['id']}/")
    assert me_api.get("/api/v1/addresses/").json()["default_address_id"] == first["id"]


def test_limit_of_20(me_api: APIClient, shopper: User) -> None:
    AddressFactory.create_batch(ADDRESS_LIMIT, user=shopper)
    response = post(me_api)
    assert response.status_code == 400
    assert "message" in response.json()
    assert Address.objects.filter(user=shopper).count() == ADDRESS_LIMIT


def test_deleted_addresses_do_not_count_towards_the_limit(me_api: APIClient, shopper: User) -> None:
    addresses = AddressFactory.create_batch(ADDRESS_LIMIT, user=shopper)
    assert post(me_api).status_code == 400
    assert me_api.delete(f"/api/v1/addresses/{addresses[0].pk}/").status_code == 204
    assert post(me_api).status_code == 201
    assert post(me_api).status_code == 400


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"city_id": 4401, "district_id": 440305}, "district_id"),  # 南山区 is in 深圳市, not 广州市
        ({"province_id": 11}, "city_id"),  # 深圳市 is not in 北京市
        ({"province_id": 4403, "city_id": 440305, "district_id": 440305}, "province_id"),  # a city is no province
        ({"district_id": 4403}, "district_id"),  # a city is no district of itself
        ({"district_id": 999999}, "district_id"),
        ({"city_id": 999999}, "city_id"),
        ({"province_id": 99}, "province_id"),
        ({"province_id": "abc"}, "province_id"),
        ({"mobile": "12800138000"}, "mobile"),
        ({"mobile": "1380013800"}, "mobile"),
        ({"mobile": "138001380001"}, "mobile"),
        ({"mobile": "13８00138000"}, "mobile"),  # a full-width digit
        ({"tel": "12345"}, "tel"),
        ({"tel": "0755-1234567８"}, "tel"),
        ({"tel": "0755-1234567890"}, "tel"),
        ({"tel": "abc-defghij"}, "tel"),
        ({"email": "not-an-email"}, "email"),
        ({"receiver": ""}, "receiver"),
        ({"place": ""}, "place"),
        ({"receiver": "张" * 21}, "receiver"),
        ({"title": "家" * 21}, "title"),
    ],
)
def test_bad_input_is_400_on_its_field(me_api: APIClient, changes: dict[str, Any], field: str) -> None:
    response = post(me_api, **changes)
    assert response.status_code == 400
    assert field in response.json()
    assert not Address.objects.exists()


@pytest.mark.parametrize("missing", ["receiver", "province_id", "city_id", "district_id", "place", "mobile"])
def test_required_fields(me_api: APIClient, missing: str) -> None:
    payload = {key: value for key, value in NANSHAN.items() if key != missing}
    response = me_api.post("/api/v1/addresses/", payload, format="json")
    assert response.status_code == 400
    assert missing in response.json()


@pytest.mark.parametrize("tel", ["0755-12345678", "075512345678", "12345678", "010-1234567", "0755-12345678-123"])
def test_good_telephone_numbers(me_api: APIClient, tel: str) -> None:
    assert post(me_api, tel=tel).status_code == 201


def test_update_with_bad_nesting_changes_nothing(me_api: APIClient) -> None:
    address = post(me_api).json()
    response = me_api.put(
        f"/api/v1/addresses/{address['id']}/", {**NANSHAN, "receiver": "李四", "city_id": 4401}, format="json"
    )
    assert response.status_code == 400
    assert "city_id" not in response.json()
    assert "district_id" in response.json()
    assert Address.objects.get(pk=address["id"]).receiver == "张三"


def test_anonymous_is_401(api: APIClient, division_tree: None) -> None:
    assert api.get("/api/v1/addresses/").status_code == 401
    assert api.post("/api/v1/addresses/", NANSHAN, format="json").status_code == 401


class TestAnotherUsersAddress:
    """Every endpoint answers 404 for someone else's address and changes nothing."""

    @pytest.fixture
    def theirs(self, stranger: User) -> Address:
        address = AddressFactory.create(user=stranger, title="他的家", receiver="王五")
        User.objects.filter(pk=stranger.pk).update(default_address=address)
        return address

    def assert_unchanged(self, address: Address, stranger: User) -> None:
        fresh = Address.objects.get(pk=address.pk)
        assert (fresh.title, fresh.receiver, fresh.is_deleted, fresh.city_id) == ("他的家", "王五", False, 4403)
        stranger.refresh_from_db()
        assert stranger.default_address_id == address.pk

    def test_get(self, me_api: APIClient, theirs: Address, stranger: User) -> None:
        response = me_api.get(f"/api/v1/addresses/{theirs.pk}/")
        assert response.status_code == 404
        assert "detail" in response.json()

    def test_put(self, me_api: APIClient, theirs: Address, stranger: User) -> None:
        changes = {**NANSHAN, "receiver": "我", "city_id": 4403}
        assert me_api.put(f"/api/v1/addresses/{theirs.pk}/", changes, format="json").status_code == 404
        self.assert_unchanged(theirs, stranger)

    def test_delete(self, me_api: APIClient, theirs: Address, stranger: User) -> None:
        assert me_api.delete(f"/api/v1/addresses/{theirs.pk}/").status_code == 404
        self.assert_unchanged(theirs, stranger)

    def test_status(self, me_api: APIClient, theirs: Address, stranger: User, shopper: User) -> None:
        assert me_api.put(f"/api/v1/addresses/{theirs.pk}/status/").status_code == 404
        shopper.refresh_from_db()
        assert shopper.default_address_id is None
        self.assert_unchanged(theirs, stranger)

    def test_title(self, me_api: APIClient, theirs: Address, stranger: User) -> None:
        response = me_api.put(f"/api/v1/addresses/{theirs.pk}/title/", {"title": "我的"}, format="json")
        assert response.status_code == 404
        self.assert_unchanged(theirs, stranger)

    def test_not_listed(self, me_api: APIClient, theirs: Address) -> None:
        assert me_api.get("/api/v1/addresses/").json()["addresses"] == []

    def test_the_owner_still_sees_it(self, theirs: Address, stranger: User) -> None:
        body = signed_in(stranger).get("/api/v1/addresses/").json()
        assert [a["id"] for a in body["addresses"]] == [theirs.pk]
        assert body["default_address_id"] == theirs.pk


def test_unknown_address_is_404(me_api: APIClient) -> None:
    assert me_api.get("/api/v1/addresses/999999/").status_code == 404
    assert me_api.put("/api/v1/addresses/999999/status/").status_code == 404


def test_list_query_count_does_not_grow(me_api: APIClient, shopper: User, django_assert_max_num_queries: Any) -> None:
    AddressFactory.create_batch(10, user=shopper)
    with django_assert_max_num_queries(3):
        body = me_api.get("/api/v1/addresses/").json()
    assert len(body["addresses"]) == 10


def test_messages_are_chinese_by_default_and_english_on_request(me_api: APIClient) -> None:
    bad = {**NANSHAN, "city_id": 4401}
    assert post(me_api, **bad).json() == {"district_id": ["所选区县不属于所选城市"], "code": "invalid"}
    english = me_api.post("/api/v1/addresses/", bad, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"district_id": ["The district is not in the chosen city."], "code": "invalid"}


def test_ids_beyond_any_column_are_not_errors(me_api: APIClient) -> None:
    huge = 10**30
    assert me_api.get(f"/api/v1/addresses/{huge}/").status_code == 404
    assert me_api.put(f"/api/v1/addresses/{huge}/status/").status_code == 404
    response = post(me_api, province_id=huge)
    assert response.status_code == 400
    assert "province_id" in response.json()
