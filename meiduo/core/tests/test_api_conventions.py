"""The API conventions of API.md that every endpoint shares: JSON errors, health, schema, 503."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_healthz_and_readyz_answer_ok(api):
    assert api.get("/healthz").json() == {"status": "ok"}
    response = api.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "security_cache": "ok"}


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unknown_api_path_is_json_404_for_writes_too(method):
    """Not Django's HTML CSRF page: a client that mistypes a path learns it is wrong, in JSON."""
    client = APIClient(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/no-such-thing/", {"a": 1}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": response.json()["detail"], "code": "not_found"}


@pytest.mark.django_db
def test_csrf_still_guards_session_authenticated_writes():
    """The JSON 404 is only for paths nothing serves: the admin's forms still refuse a write without a token."""
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_readyz_reports_a_broken_database(api):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = api.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


@pytest.mark.django_db
def test_wrong_method_is_json_405(api):
    response = api.delete("/api/v1/users/")
    assert response.status_code == 405
    assert "detail" in response.json()


def test_cors_allows_configured_origins_with_credentials(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://shop.example"]
    allowed = api.options(
        "/api/v1/authorizations/",
        HTTP_ORIGIN="http://shop.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert allowed["Access-Control-Allow-Origin"] == "http://shop.example"
    assert allowed["Access-Control-Allow-Credentials"] == "true"
    other = api.options(
        "/api/v1/authorizations/",
        HTTP_ORIGIN="http://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in other


def test_schema_covers_every_api_route(api):
    from django.urls import get_resolver

    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    documented = {path.rstrip("/") for path in schema["paths"]}

    def routes(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    import re

    api_routes = {r for r in routes(get_resolver().url_patterns) if r.startswith("api/v1/")}
    assert api_routes, "no API routes found"
    missing = []
    for route in api_routes:
        as_openapi = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).rstrip("/")
        if as_openapi not in documented:
            missing.append(as_openapi)
    assert missing == []


def test_storefront_routes_fall_back_to_the_app(api, settings, tmp_path):
    (tmp_path / "index.html").write_text("<div id=app>美多商城</div>", encoding="utf-8")
    settings.FRONTEND_DIST = tmp_path
    for path in ("/", "/detail/3/", "/pay_success.html?out_trade_no=1"):
        response = api.get(path)
        assert response.status_code == 200
        assert "美多商城" in response.content.decode()
    assert api.get("/api/v1/nothing/").status_code == 404


@pytest.mark.django_db
def test_an_unexpected_error_under_api_is_a_json_500_without_internals():
    from django.test import Client

    client = Client(raise_request_exception=False)
    with mock.patch("meiduo.users.selectors.username_count", side_effect=RuntimeError("secret internals")):
        response = client.get("/api/v1/usernames/somebody/count/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "服务器错误，请稍后重试", "code": "server_error"}
    assert b"secret internals" not in response.content


@pytest.mark.django_db
def test_a_request_django_refuses_before_the_view_is_a_json_400(api, settings):
    """Too many form fields or too large a body: Django answers 400 itself; under /api/ that is JSON too."""
    many_fields = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    for body, content_type in [
        (many_fields, "application/x-www-form-urlencoded"),
        ('{"username": "' + "x" * 2000 + '", "password": "x"}', "application/json"),
    ]:
        response = api.generic("POST", "/api/v1/authorizations/", body, content_type=content_type)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "请求格式错误或过大", "code": "bad_request"}
