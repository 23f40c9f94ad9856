"""A database or cache outage is answered 503 `{"message"}`, logged with the view name, never a 500."""

import logging
from unittest import mock

import pytest
from django.db.utils import OperationalError

UNAVAILABLE = {"message": "服务暂时不可用，请稍后重试", "code": "unavailable"}
DEAD_REDIS = {
    alias: {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
    for alias in ("default", "security")
}


@pytest.mark.django_db
def test_database_outage_is_503_and_logged_with_the_view(api, caplog):
    caplog.set_level(logging.ERROR, logger="meiduo.errors")
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("server closed")):
        response = api.post("/api/v1/authorizations/", {"username": "someone", "password": "whatever1"})
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE
    assert "Traceback" not in response.content.decode()
    assert any("AuthorizationView" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_cache_outage_is_503(api, settings, caplog):
    caplog.set_level(logging.ERROR, logger="meiduo.errors")
    settings.SMS_CAPTCHA_REQUIRED = False
    settings.CACHES = DEAD_REDIS
    response = api.get("/api/v1/sms_codes/13800138000/")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE
    assert any("SmsCodeView" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_readyz_reports_a_dead_cache(api, settings):
    settings.CACHES = DEAD_REDIS
    response = api.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == response.json()["security_cache"] == "unavailable"


@pytest.mark.django_db
def test_login_during_a_cache_outage_is_503_not_500(api, settings):
    settings.CACHES = DEAD_REDIS
    response = api.post("/api/v1/authorizations/", {"username": "someone", "password": "whatever1"})
    assert response.status_code == 503
