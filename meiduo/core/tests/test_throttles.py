"""Default request rates: writes and signed-in users share one budget across processes, anonymous reads count per
process, an allow-list and the payment notify are never throttled, and a refusal is a 429 with Retry-After."""

from collections.abc import Iterator
from typing import Any

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from meiduo.core import throttles
from meiduo.users.models import User
from tests.support import run_together

BEACON = "/api/v1/skus/999999999/views/"  # an anonymous write that touches no table


@pytest.fixture(autouse=True)
def one_window() -> Iterator[None]:
    """Every request of a test inside one minute-long window."""
    with freeze_time("2026-12-05 10:00:05+08:00", tick=True):
        yield


def _refused(response: Any) -> bool:
    if response.status_code != 429:
        return False
    assert response.json()["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60
    return True


def test_writes_of_a_client_are_limited(api: APIClient, settings: Any, db: None) -> None:
    settings.API_RATE_PER_CLIENT = "3/min"
    answers = [api.post(BEACON) for _ in range(4)]

    assert [answer.status_code for answer in answers[:3]] == [204, 204, 204]
    assert _refused(answers[3])
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other.post(BEACON).status_code == 204  # another client has its own budget


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_spend_one_budget_exactly(settings: Any) -> None:
    settings.API_RATE_PER_CLIENT = "5/min"
    answers = run_together([lambda: APIClient().post(BEACON) for _ in range(20)])

    assert sorted(answer.status_code for answer in answers) == [204] * 5 + [429] * 15


def test_a_signed_in_users_requests_are_limited_per_user(api: APIClient, settings: Any, db: None) -> None:
    settings.API_RATE_PER_USER = "2/min"
    first, second = (
        User.objects.create_user(username=name, password="Meiduo-2026!", mobile=mobile)
        for name, mobile in (("lihua2026", "13800138000"), ("wangwu2026", "13800138001"))
    )
    api.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(first)}")
    answers = [api.get("/api/v1/user/") for _ in range(3)]

    assert [answer.status_code for answer in answers[:2]] == [200, 200]
    assert _refused(answers[2])
    same_address = APIClient()
    same_address.credentials(HTTP_AUTHORIZATION=f"JWT {AccessToken.for_user(second)}")
    assert same_address.get("/api/v1/user/").status_code == 200


def test_anonymous_reads_are_limited_per_client_in_the_process(api: APIClient, settings: Any, db: None) -> None:
    settings.API_READ_RATE_PER_CLIENT = "3/min"
    answers = [api.get("/api/v1/areas/") for _ in range(4)]

    assert [answer.status_code for answer in answers[:3]] == [200, 200, 200]
    assert _refused(answers[3])
    assert APIClient(REMOTE_ADDR="10.0.0.9").get("/api/v1/areas/").status_code == 200
    assert api.get("/healthz").status_code == 200  # health checks are never throttled


def test_the_allow_list_exempts_a_load_generator(api: APIClient, settings: Any, db: None) -> None:
    settings.API_RATE_PER_CLIENT = settings.API_READ_RATE_PER_CLIENT = "1/min"
    assert _refused([api.post(BEACON) for _ in range(2)][1])  # empty allow-list (the default): limited

    settings.THROTTLE_EXEMPT_IPS = ["127.0.0.1"]
    assert all(api.post(BEACON).status_code == 204 for _ in range(5))
    assert all(api.get("/api/v1/areas/").status_code == 200 for _ in range(5))


def test_the_payment_notify_is_never_throttled(api: APIClient, settings: Any, db: None) -> None:
    settings.API_RATE_PER_CLIENT = "1/min"
    answers = [api.post("/api/v1/payment/alipay/notify/", {"out_trade_no": "1"}) for _ in range(3)]

    assert all(answer.status_code != 429 for answer in answers)


def test_the_default_is_no_exemption(settings: Any) -> None:
    from config.settings import base

    assert base.THROTTLE_EXEMPT_IPS == []
    assert throttles.parse_rate(base.API_READ_RATE_PER_CLIENT) == (1200, 60)
