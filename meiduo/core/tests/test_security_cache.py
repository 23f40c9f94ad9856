"""Security counters live in their own cache (CACHES["security"]): a flood of catalog answers cannot evict them.

Before, rate-limit counters, SMS/login tries and one-time nonces shared the
size-limited answer cache, and every junk query parameter made a new catalog
entry: a flood of requests evicted the counters and so reset the limits.
"""

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from rest_framework.test import APIClient

from config.env import redis_next_database
from meiduo.core.securitycache import SECURITY_CACHE_ALIAS

pytestmark = pytest.mark.django_db


def test_an_sms_limit_survives_a_flood_that_evicts_every_cached_answer(settings, tmp_path):
    if not hasattr(caches["default"], "directory"):
        pytest.skip("eviction by size is the embedded (diskcache) engine's; on Redis see the no-eviction alias test")
    settings.SMS_CAPTCHA_REQUIRED = False
    # The answer cache is full: every new entry evicts the oldest ones (least recently stored first).
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {**django_settings.CACHES["default"], "LOCATION": str(tmp_path), "OPTIONS": {"size_limit": 1}},
    }
    client = APIClient()
    assert client.get("/api/v1/sms_codes/13800138000/").status_code == 200

    for size in range(1, 41):  # forty different catalog answers
        assert client.get("/api/v1/skus/search/", {"text": "手机", "page_size": size}).status_code == 200

    again = client.get("/api/v1/sms_codes/13800138000/")
    assert again.status_code == 429
    assert int(again["Retry-After"]) > 0


def test_a_login_lock_holds_when_the_answer_cache_is_emptied(api, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    for _ in range(3):
        api.post("/api/v1/authorizations/", {"username": "nobody", "password": "wrong-password"})
    assert api.post("/api/v1/authorizations/", {"username": "nobody", "password": "wrong-password"}).status_code == 429

    caches["default"].clear()  # everything an eviction of the answer cache could remove

    assert api.post("/api/v1/authorizations/", {"username": "nobody", "password": "wrong-password"}).status_code == 429


def test_the_security_cache_is_a_separate_store_that_never_evicts():
    default, security = django_settings.CACHES["default"], django_settings.CACHES[SECURITY_CACHE_ALIAS]
    if "diskcache" in security["BACKEND"] or "boundedcache" in security["BACKEND"]:
        assert security["LOCATION"] != default["LOCATION"]
        assert security["OPTIONS"]["eviction_policy"] == "none"
        assert caches[SECURITY_CACHE_ALIAS]._cache.eviction_policy == "none"
    else:
        assert (security["LOCATION"], security["KEY_PREFIX"]) != (default["LOCATION"], default["KEY_PREFIX"])


@pytest.mark.parametrize(
    ("url", "security_url"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://:secret@cache.internal:6379", "redis://:secret@cache.internal:6379/1"),
        (
            "rediss://cache.internal:6380/3?ssl_cert_reqs=required",
            "rediss://cache.internal:6380/4?ssl_cert_reqs=required",
        ),
        ("unix:///run/redis.sock?db=2", "unix:///run/redis.sock?db=3"),
    ],
)
def test_by_default_the_security_cache_is_the_next_redis_database(url: str, security_url: str):
    assert redis_next_database(url) == security_url


def test_the_default_security_database_is_never_the_brokers():
    assert redis_next_database("redis://r:6379/0", avoid="redis://r:6379/1") == "redis://r:6379/2"
