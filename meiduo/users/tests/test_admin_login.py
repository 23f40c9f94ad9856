"""The admin login is limited like the API login: a captcha after failures, refusal per client, no lock-out."""

import pytest
from django.test import Client
from freezegun import freeze_time

from meiduo.users.models import User
from meiduo.verifications.tests.captcha import solved_captcha

pytestmark = pytest.mark.django_db

PASSWORD = "Staff-Pass-2026!"


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user(
        username="operator", password=PASSWORD, mobile="13800138111", is_staff=True, is_superuser=True
    )


def admin_login(client: Client, password: str, **captcha: str):
    data = {"username": "operator", "password": password, "next": "/admin/", **captcha}
    return client.post("/admin/login/", data)


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_after_three_failures_the_admin_login_asks_for_a_captcha(staff):
    client = Client(REMOTE_ADDR="10.5.0.1")
    for _ in range(3):
        assert admin_login(client, "wrong-password").status_code == 200
    page = admin_login(client, PASSWORD)  # the right password without a captcha does not get in
    assert page.status_code == 200 and not signed_in(client)
    assert 'name="image_code_id"' in page.content.decode()
    assert '<img src="/api/v1/image_codes/' in page.content.decode()
    answer = admin_login(client, PASSWORD, **solved_captcha(client))
    assert answer.status_code == 302 and signed_in(client)


def test_twenty_five_wrong_passwords_then_the_right_one_is_not_enough(staff):
    client = Client(REMOTE_ADDR="10.5.0.2")
    for _ in range(25):
        admin_login(client, "wrong-password")
    admin_login(client, PASSWORD)
    assert not signed_in(client)


def test_a_client_is_refused_past_its_failure_limit_even_with_the_right_password(staff, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    client = Client(REMOTE_ADDR="10.5.0.3")
    for _ in range(3):
        admin_login(client, "wrong-password", **solved_captcha(client))
    page = admin_login(client, PASSWORD, **solved_captcha(client))
    assert not signed_in(client)
    assert "登录失败次数过多" in page.content.decode()


def test_a_stranger_cannot_lock_staff_out_of_the_admin(staff):
    with freeze_time("2026-11-21 10:00:05+08:00"):
        for i in range(30):
            stranger = Client(REMOTE_ADDR=f"10.6.{i}.1")
            admin_login(stranger, "wrong-password", **solved_captcha(stranger))
        owner = Client(REMOTE_ADDR="10.6.200.1")
        assert admin_login(owner, PASSWORD, **solved_captcha(owner)).status_code == 302
        assert signed_in(owner)
