"""PATCH user/: nickname, real name, birthday and gender; mobile, e-mail and the rest keep their own flows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from meiduo.users.models import User
from meiduo.users.services.sessions import session_tokens_issue


@pytest.fixture
def shopper(db) -> User:
    return User.objects.create_user(username="lihua2026", password="Meiduo-2026!", mobile="13800138000")


@pytest.fixture
def me(shopper) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"JWT {session_tokens_issue(user=shopper)['token']}")
    return client


def test_a_new_account_has_an_empty_profile(me):
    answer = me.get("/api/v1/user/").json()
    assert (answer["nickname"], answer["real_name"], answer["birthday"], answer["gender"]) == ("", "", None, 0)


def test_the_profile_is_changed_field_by_field_and_shown_after(me, shopper):
    answer = me.patch("/api/v1/user/", {"nickname": " 小花 ", "birthday": "1995-08-17", "gender": 2}, format="json")
    assert answer.status_code == 200
    assert answer.json()["nickname"] == "小花"
    again = me.patch("/api/v1/user/", {"real_name": "李华"}, format="json").json()
    assert (again["nickname"], again["real_name"], again["birthday"], again["gender"]) == (
        "小花",
        "李华",
        "1995-08-17",
        2,
    )
    shopper.refresh_from_db()
    assert (shopper.nickname, shopper.real_name, str(shopper.birthday), shopper.gender) == (
        "小花",
        "李华",
        "1995-08-17",
        2,
    )
    cleared = me.patch("/api/v1/user/", {"birthday": None}, format="json").json()
    assert cleared["birthday"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"birthday": "2999-01-01"}, "birthday"),
        ({"birthday": "1850-01-01"}, "birthday"),
        ({"birthday": "17/08/1995"}, "birthday"),
        ({"nickname": "x" * 21}, "nickname"),
        ({"real_name": "y" * 21}, "real_name"),
        ({"gender": 3}, "gender"),
    ],
)
def test_bad_values_are_400_and_change_nothing(me, shopper, body, field):
    answer = me.patch("/api/v1/user/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert field in answer.json()
    shopper.refresh_from_db()
    assert (shopper.nickname, shopper.real_name, shopper.birthday, shopper.gender) == ("", "", None, 0)


def test_tomorrow_is_not_a_birthday_but_today_is(me):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert me.patch("/api/v1/user/", {"birthday": tomorrow.isoformat()}, format="json").status_code == 400
    assert me.patch("/api/v1/user/", {"birthday": timezone.localdate().isoformat()}, format="json").status_code == 200


@pytest.mark.parametrize(
    "field", [("mobile", "13900139000"), ("email", "x@example.com"), ("username", "other_name"), ("email_active", True)]
)
def test_mobile_email_and_username_are_not_changed_here(me, shopper, field):
    name, value = field
    answer = me.patch("/api/v1/user/", {name: value, "nickname": "小花"}, format="json")
    assert answer.status_code == 400
    assert list(answer.json()[name]) and answer.json()["code"] == "invalid"
    shopper.refresh_from_db()
    assert (shopper.mobile, shopper.email, shopper.username, shopper.nickname) == ("13800138000", "", "lihua2026", "")


def test_a_visitor_cannot_patch_a_profile(db):
    answer = APIClient().patch("/api/v1/user/", {"nickname": "x"}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (401, "not_authenticated")
