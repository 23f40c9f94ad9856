"""The issue's "done" story through the API only: register, address in 南山区, default, e-mail, passwords."""

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from rest_framework.test import APIClient

from meiduo.areas.tests.conftest import division_tree
from meiduo.core.securitycache import security_cache
from meiduo.verifications import services as verifications

__all__ = ["division_tree"]

pytestmark = pytest.mark.usefixtures("division_tree")


def pick(api: APIClient, path: str, name: str) -> int:
    body = api.get(path).json()
    items = body["subs"] if isinstance(body, dict) else body
    return int(next(item["id"] for item in items if item["name"] == name))


def test_new_user_journey(
    sms_code: Callable[[str], str],
    sms_outbox: Callable[[str], list[str]],
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    anonymous = APIClient()
    mobile = "13566667777"
    registration = {
        "username": "xiaoming_01",
        "password": "Meiduo-2026!",
        "password2": "Meiduo-2026!",
        "mobile": mobile,
        "sms_code": sms_code(mobile),
        "allow": "true",
    }
    registered = anonymous.post("/api/v1/users/", registration, format="json")
    assert registered.status_code == 201
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"JWT {registered.json()['token']}")

    # a home address in 广东省 深圳市 南山区, chosen through the area endpoints, made the default
    province = pick(anonymous, "/api/v1/areas/", "广东省")
    city = pick(anonymous, f"/api/v1/areas/{province}/", "深圳市")
    district = pick(anonymous, f"/api/v1/areas/{city}/", "南山区")
    home = {
        "title": "家",
        "receiver": "小明",
        "province_id": province,
        "city_id": city,
        "district_id": district,
        "place": "科技园南区 1 号",
        "mobile": mobile,
    }
    created = me.post("/api/v1/addresses/", home, format="json")
    assert created.status_code == 201
    assert (created.json()["province"], created.json()["city"], created.json()["district"]) == (
        "广东省",
        "深圳市",
        "南山区",
    )
    assert me.put(f"/api/v1/addresses/{created.json()['id']}/status/").json() == {"message": "OK"}
    assert me.get("/api/v1/addresses/").json()["default_address_id"] == created.json()["id"]

    # e-mail verified from the link the console mail backend printed
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert me.put("/api/v1/email/", {"email": "xiaoming@example.com"}, format="json").status_code == 200
    link = re.search(r"http://\S+\?token=\S+", capsys.readouterr().out)
    assert link
    token = parse_qs(urlparse(link[0]).query)["token"][0]
    assert anonymous.get("/api/v1/emails/verification/", {"token": token}).status_code == 200
    assert me.get("/api/v1/user/").json()["email_active"] is True

    # password changed, then a login with the new one
    user_id = registered.json()["id"]
    change = {"old_password": "Meiduo-2026!", "password": "Nanshan#2026", "password2": "Nanshan#2026"}
    assert me.put(f"/api/v1/users/{user_id}/password/", change, format="json").status_code == 200
    login = {"username": "xiaoming_01", "password": "Nanshan#2026"}
    assert anonymous.post("/api/v1/authorizations/", login, format="json").status_code == 200

    # forgotten password reset by SMS
    image_id = str(uuid.uuid4())
    anonymous.get(f"/api/v1/image_codes/{image_id}/")
    security_cache.set(f"captcha:{image_id}", verifications._digest("captcha", image_id, "XY34"), 300)
    step1 = anonymous.get(f"/api/v1/accounts/{mobile}/sms/token/", {"image_code_id": image_id, "text": "XY34"})
    assert step1.json()["mobile"] == "135****7777"
    security_cache.delete(f"rl:claim:sms:interval:{mobile}")  # the registration SMS was under a minute ago
    assert anonymous.get("/api/v1/sms_codes/", {"access_token": step1.json()["access_token"]}).status_code == 200
    step3 = anonymous.get(f"/api/v1/accounts/{mobile}/password/token/", {"sms_code": sms_outbox(mobile)[-1]})
    reset = {"password": "Forgot#2026x", "password2": "Forgot#2026x", "access_token": step3.json()["access_token"]}
    assert anonymous.post(f"/api/v1/users/{user_id}/password/", reset, format="json").json() == {"message": "OK"}
    login = {"username": mobile, "password": "Forgot#2026x"}
    assert anonymous.post("/api/v1/authorizations/", login, format="json").status_code == 200
