"""Every error body carries a stable `code` (docs/errors.md); only real outages are 503, a bug is a logged 500."""

import logging
import uuid
from unittest import mock

import pytest
from django.db import DataError, IntegrityError, ProgrammingError
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from freezegun import freeze_time
from rest_framework.test import APIClient


def test_validation_errors_are_invalid_with_a_code_per_field(api):
    response = api.post("/api/v1/users/", {"username": "ab"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["codes"]["password"] == ["required"]
    assert body["codes"]["username"] == ["invalid"]
    assert body["password"]  # the messages stay where API.md has them


def test_a_missing_object_is_not_found(api, db):
    response = api.get("/api/v1/skus/987654321/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_no_credentials_and_a_bad_token_have_their_own_codes(api, db):
    assert api.get("/api/v1/user/").json()["code"] == "not_authenticated"
    forged = api.get("/api/v1/user/", HTTP_AUTHORIZATION="JWT not.a.token")
    assert (forged.status_code, forged.json()["code"]) == (401, "token_not_valid")


def test_a_wrong_method_is_method_not_allowed(api, db):
    response = api.delete("/api/v1/areas/")
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")


def test_a_rate_limit_is_throttled_with_retry_after(api, settings):
    settings.IMAGE_CODES_PER_MINUTE_PER_IP = 1
    with freeze_time("2026-11-21 10:00:05+08:00", tick=True):  # both inside one one-minute window
        api.get(f"/api/v1/image_codes/{uuid.uuid4()}/")
        response = api.get(f"/api/v1/image_codes/{uuid.uuid4()}/")
    assert (response.status_code, response.json()["code"]) == (429, "throttled")
    assert int(response["Retry-After"]) >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("outage", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_a_lost_database_connection_is_unavailable(outage):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=outage):
        response = APIClient().get("/api/v1/skus/1/comments/")
    assert (response.status_code, response.json()["code"]) == (503, "unavailable")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bug", [ProgrammingError("column does not exist"), DataError("value too long"), IntegrityError("duplicate")]
)
def test_a_database_bug_is_a_500_with_its_traceback_in_the_log(bug, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=bug):
        response = Client(raise_request_exception=False).get("/api/v1/skus/1/comments/")
    assert (response.status_code, response.json()["code"]) == (500, "server_error")
    assert str(bug) not in response.content.decode()
    logged = [record for record in caplog.records if record.exc_info]
    assert logged
    assert logged[0].exc_info is not None
    assert logged[0].exc_info[0] is type(bug)


@pytest.mark.django_db(transaction=True)
def test_a_write_refused_by_a_read_only_database_is_an_outage():
    # After a failover the old primary refuses writes (PostgreSQL 25006, MySQL 1792; SQLite's query_only says
    # "readonly").
    from django.db import DatabaseError, connection, transaction

    from meiduo.users.models import User

    def write() -> None:
        User.objects.create_user(username="standby_write", password="x" * 12)

    if connection.vendor in {"postgresql", "mysql"}:
        with pytest.raises(DatabaseError) as refused, transaction.atomic():
            connection.cursor().execute("SET TRANSACTION READ ONLY")
            write()
    else:
        connection.cursor().execute("PRAGMA query_only = ON")
        try:
            with pytest.raises(DatabaseError) as refused:
                write()
        finally:
            connection.cursor().execute("PRAGMA query_only = OFF")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=refused.value):
        response = APIClient().get("/api/v1/skus/1/comments/")
    assert (response.status_code, response.json()["code"]) == (503, "unavailable")
