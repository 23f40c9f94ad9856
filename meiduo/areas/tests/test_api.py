"""API tests of areas/ and areas/{id}/: shapes, real data, 404, server-side and HTTP caching."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.usefixtures("division_tree")


def test_provinces_are_the_31_mainland_divisions(api: APIClient) -> None:
    response = api.get("/api/v1/areas/")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 31
    assert body[0] == {"id": 11, "name": "北京市"}
    assert {"id": 44, "name": "广东省"} in body
    assert {"id": 65, "name": "新疆维吾尔自治区"} in body


def test_province_subs_are_its_cities(api: APIClient) -> None:
    body = api.get("/api/v1/areas/44/").json()
    assert body["id"] == 44
    assert body["name"] == "广东省"
    assert {"id": 4403, "name": "深圳市"} in body["subs"]
    assert len(body["subs"]) == 21


def test_city_subs_are_its_districts(api: APIClient) -> None:
    body = api.get("/api/v1/areas/4403/").json()
    assert body["name"] == "深圳市"
    assert {"id": 440305, "name": "南山区"} in body["subs"]


def test_municipality_keeps_its_city_level(api: APIClient) -> None:
    body = api.get("/api/v1/areas/11/").json()
    assert body["subs"] == [{"id": 1101, "name": "市辖区"}]
    districts = api.get("/api/v1/areas/1101/").json()["subs"]
    assert {"id": 110108, "name": "海淀区"} in districts


def test_district_has_no_subs(api: APIClient) -> None:
    body = api.get("/api/v1/areas/440305/").json()
    assert body == {"id": 440305, "name": "南山区", "subs": []}


def test_unknown_area_is_404(api: APIClient) -> None:
    response = api.get("/api/v1/areas/999999/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_non_numeric_area_is_404(api: APIClient) -> None:
    assert api.get("/api/v1/areas/abc/").status_code == 404


def test_areas_are_public_even_with_a_bad_token(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    assert api.get("/api/v1/areas/").status_code == 200


def test_http_cache_headers_and_revalidation(api: APIClient) -> None:
    response = api.get("/api/v1/areas/4403/")
    etag = response["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert "max-age=3600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]

    again = api.get("/api/v1/areas/4403/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    stale = api.get("/api/v1/areas/4403/", HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200
    assert stale.json()["name"] == "深圳市"


def test_etags_differ_between_areas(api: APIClient) -> None:
    assert api.get("/api/v1/areas/").get("ETag") != api.get("/api/v1/areas/44/").get("ETag")


def test_second_request_is_served_from_the_server_cache(api: APIClient, django_assert_num_queries) -> None:
    first = api.get("/api/v1/areas/44/").json()
    with django_assert_num_queries(0):
        second = api.get("/api/v1/areas/44/").json()
    assert first == second
    api.get("/api/v1/areas/")
    with django_assert_num_queries(0):
        assert len(api.get("/api/v1/areas/").json()) == 31


def test_area_id_beyond_the_column_is_404(api: APIClient) -> None:
    assert api.get(f"/api/v1/areas/{10**30}/").status_code == 404
